// `cdktf synth|deploy` runs this file (cdktf.json): synthesize every environment into cdktf.out/.
import { runApp } from "./app";

runApp();
