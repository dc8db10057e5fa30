/** Parses a Kubernetes CPU quantity (`250m`, `2`, `1.5`) into millicores. */
export function cpuToMillicores(quantity: string): number {
  if (quantity.endsWith("m")) return Number(quantity.slice(0, -1));
  return Math.round(Number(quantity) * 1000);
}

const BINARY_UNITS: Record<string, number> = { Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1024 * 1024 };

/** Parses a binary memory quantity (`512Mi`, `2Gi`) into MiB. */
export function memoryToMebibytes(quantity: string): number {
  const match = /^(\d+)(Ki|Mi|Gi|Ti)$/.exec(quantity);
  if (!match) throw new Error(`memory quantity must look like 512Mi or 2Gi, got "${quantity}"`);
  return Number(match[1]) * BINARY_UNITS[match[2]!]!;
}
