import { type RuleContext } from "../../kit/rule-types";

/** The rule context the tests build with. */
export const CTX: RuleContext = { environment: "dev", runbookBaseUrl: "https://runbooks.example.com/observability" };
