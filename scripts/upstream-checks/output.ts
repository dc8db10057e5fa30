/** The upstream checks' output lines: `ok   `, `FAIL `, `-    ` (not checked), in the style of validate-chart-values. */
export function line(mark: "ok" | "FAIL" | "-", text: string): void {
  console.log(`${mark.padEnd(4)} ${text}`);
}

/** An environment name padded so the file names line up. */
export function environmentLabel(env: string): string {
  return env.padEnd(7);
}
