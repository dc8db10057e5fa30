import { DataKubernetesSecretV1 } from "@cdktf/provider-kubernetes/lib/data-kubernetes-secret-v1";
import { dependable, type Postcondition, type TerraformResource } from "cdktf";
import { Construct } from "constructs";
import type { RequiredSecret } from "../artifacts/required-secrets";

/** A Secret's name as Kubernetes allows it (a DNS subdomain): safe inside an HCL string and a template. */
const SECRET_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
/** A Secret key as Kubernetes allows it. */
const SECRET_KEY = /^[-._a-zA-Z0-9]{1,253}$/;

/** Props of {@link RequiredSecretChecks}. */
export interface RequiredSecretChecksProps {
  /** The Secrets to check, each with its namespace, keys and readers (see `requiredSecrets`). */
  readonly secrets: readonly RequiredSecret[];
  /**
   * What to do about a missing Secret or key, appended to every message. A literal: it must never
   * carry a secret value.
   * @default "see README, First deploy, step 4"
   */
  readonly remedy?: string;
}

/** The check of one Secret, by the data source that reads it. */
interface SecretCheck {
  readonly secret: RequiredSecret;
  readonly dataSource: DataKubernetesSecretV1;
}

/** The Terraform condition "the Secret exists": the API server gives every object a uid; a missing Secret leaves it null or empty. */
const EXISTS = "try(length(self.metadata[0].uid), 0) > 0";

/** Readers, for a message: `kube-prometheus-stack reads it`. */
const readers = (secret: RequiredSecret) => `${secret.readBy.join(", ")} ${secret.readBy.length === 1 ? "reads" : "read"} it`;

/** The message of a missing Secret: its name, namespace and every key it must hold. */
export function missingSecretMessage(secret: RequiredSecret, remedy: string): string {
  const keys = secret.keys.length > 0 ? `with key${secret.keys.length === 1 ? "" : "s"} ${secret.keys.join(", ")}` : "(it may have no keys, but it must exist)";
  return `Secret "${secret.name}" not found in namespace "${secret.namespace}": ${readers(secret)}. Create it ${keys}; ${remedy}.`;
}

/** The message of a key missing from (or empty in) an existing Secret. */
export function missingKeyMessage(secret: RequiredSecret, key: string, remedy: string): string {
  return `Secret "${secret.name}" in namespace "${secret.namespace}" has no key "${key}", or its value is empty: ${readers(secret)}. Add it; ${remedy}.`;
}

/**
 * The postconditions of one Secret: it exists, then each key is present and non-empty. The
 * kubernetes provider's `kubernetes_secret_v1` data source returns no error for a missing Secret
 * (hashicorp/kubernetes 2.38.0 reads it as empty), so existence is a condition of its own. A key's
 * condition holds while the Secret is missing, so a missing Secret is reported once, with its keys.
 * `data` is sensitive: Terraform unmarks a condition's result and prints a sensitive operand as
 * "has a sensitive value"; the messages are literals, never built from `data`.
 */
export function secretPostconditions(secret: RequiredSecret, remedy: string): Postcondition[] {
  return [
    { condition: `\${${EXISTS}}`, errorMessage: missingSecretMessage(secret, remedy) },
    ...secret.keys.map((key) => ({
      condition: `\${!(${EXISTS}) || try(length(self.data["${key}"]), 0) > 0}`,
      errorMessage: missingKeyMessage(secret, key, remedy),
    })),
  ];
}

/**
 * One `kubernetes_secret_v1` data source per required Secret, whose postconditions fail the plan
 * with the Secret's name, namespace and key when it or a key is missing. Its configuration is all
 * literals and it depends on nothing, so Terraform reads it while planning: a first deploy stops at
 * plan, never at a Helm timeout. Resources that read a Secret are made to depend on its check with
 * {@link RequiredSecretChecks.guard}.
 *
 * The data source reads the whole Secret, so its values are in the stack's state (never in the
 * synthesized configuration): keep that state in an encrypted, access-controlled backend.
 */
export class RequiredSecretChecks extends Construct {
  private readonly checks: readonly SecretCheck[];

  constructor(scope: Construct, id: string, props: RequiredSecretChecksProps) {
    super(scope, id);
    const remedy = props.remedy ?? "see README, First deploy, step 4";
    if (/[$%]\{/.test(remedy)) throw new Error(`remedy must be a literal without \${ or %{ (Terraform would interpolate it), got ${JSON.stringify(remedy)}`);
    this.checks = props.secrets.map((secret) => {
      if (!SECRET_NAME.test(secret.name)) throw new Error(`secrets[].name must be a Kubernetes Secret name, got ${JSON.stringify(secret.name)}`);
      for (const key of secret.keys) {
        if (!SECRET_KEY.test(key)) throw new Error(`keys of Secret "${secret.name}" must match [-._a-zA-Z0-9]+, got ${JSON.stringify(key)}`);
      }
      const dataSource = new DataKubernetesSecretV1(this, secret.name, {
        metadata: { name: secret.name, namespace: secret.namespace },
        lifecycle: { postcondition: secretPostconditions(secret, remedy) },
      });
      return { secret, dataSource };
    });
  }

  /** The data sources checking the Secrets `reader` reads (a release name), in Secret-name order. */
  checksReadBy(reader: string): DataKubernetesSecretV1[] {
    return this.checks
      .filter((c) => c.secret.readBy.includes(reader))
      .sort((a, b) => a.secret.name.localeCompare(b.secret.name))
      .map((c) => c.dataSource);
  }

  /** Makes `resource` depend on the checks of every Secret `reader` reads, keeping its other dependencies. */
  guard(resource: TerraformResource, reader: string): void {
    const checks = this.checksReadBy(reader).map((d) => dependable(d));
    if (checks.length > 0) resource.dependsOn = [...(resource.dependsOn ?? []), ...checks];
  }
}
