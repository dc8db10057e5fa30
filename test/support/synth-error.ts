import { buildAllArtifacts } from "../../app/environments";
import type { PROFILE_INPUTS } from "../../environments";
import { ValidationError } from "../../model/validation-error";

/** The error `buildAllArtifacts` throws for these profile inputs and services; throws when it accepts them. */
export function synthError(inputs: Record<string, unknown>, services?: Parameters<typeof buildAllArtifacts>[1]): ValidationError {
  try {
    buildAllArtifacts(inputs as typeof PROFILE_INPUTS, services);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error("expected the inputs to be rejected");
}
