/**
 * Typed bindings for the few resources of the Grafana Terraform provider (`grafana/grafana`) the
 * product uses: the provider, `grafana_folder` and `grafana_dashboard`. Written by hand because no
 * prebuilt binding is published; attribute names are exactly the provider's (its docs' argument
 * reference), and only the arguments the product sets are bound.
 */
import { TerraformProvider, TerraformResource, type TerraformMetaArguments } from "cdktf";
import type { Construct } from "constructs";

/** The provider's registry source and the major version the bindings were written against. */
export const GRAFANA_PROVIDER = { source: "grafana/grafana", versionConstraint: "~> 4.0" } as const;

const generatorMetadata = { providerName: "grafana", providerVersionConstraint: GRAFANA_PROVIDER.versionConstraint };

/** The Terraform meta-arguments of a config, without the resource's own arguments. */
function metaArguments(config: TerraformMetaArguments): TerraformMetaArguments {
  const { dependsOn, count, provider, lifecycle, forEach } = config;
  return { dependsOn, count, provider, lifecycle, forEach };
}

/** Arguments of `provider "grafana"`. */
export interface GrafanaProviderConfig {
  /** `url`: the root URL of the Grafana instance. */
  readonly url: string;
  /**
   * `auth`: a service-account token or `user:password`. Pass a reference to a sensitive Terraform
   * variable, never a literal; omitted, the provider reads the `GRAFANA_AUTH` environment variable.
   * @default - from GRAFANA_AUTH
   */
  readonly auth?: string;
  /** `alias` for a second instance of the provider. @default - the default provider */
  readonly alias?: string;
}

/** `provider "grafana"`. */
export class GrafanaProvider extends TerraformProvider {
  private readonly config: GrafanaProviderConfig;

  constructor(scope: Construct, id: string, config: GrafanaProviderConfig) {
    super(scope, id, {
      terraformResourceType: "grafana",
      terraformGeneratorMetadata: generatorMetadata,
      terraformProviderSource: GRAFANA_PROVIDER.source,
    });
    this.config = config;
    this.alias = config.alias;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { url: this.config.url, auth: this.config.auth, alias: this.alias };
  }
}

/** Arguments of `resource "grafana_folder"`. */
export interface GrafanaFolderConfig extends TerraformMetaArguments {
  /** `title`: the folder's name. */
  readonly title: string;
  /** `uid`: stable identifier, so dashboards can name the folder before it exists. */
  readonly uid: string;
  /**
   * `prevent_destroy_if_not_empty`: refuse to delete a folder that still holds dashboards someone
   * added by hand. @default true
   */
  readonly preventDestroyIfNotEmpty?: boolean;
}

/** `resource "grafana_folder"`. */
export class GrafanaFolder extends TerraformResource {
  static readonly tfResourceType = "grafana_folder";
  private readonly config: GrafanaFolderConfig;

  constructor(scope: Construct, id: string, config: GrafanaFolderConfig) {
    super(scope, id, { terraformResourceType: GrafanaFolder.tfResourceType, terraformGeneratorMetadata: generatorMetadata, ...metaArguments(config) });
    this.config = config;
  }

  /** The folder's `uid` attribute, to place dashboards in it. */
  get uidAttribute(): string {
    return this.getStringAttribute("uid");
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {
      title: this.config.title,
      uid: this.config.uid,
      prevent_destroy_if_not_empty: this.config.preventDestroyIfNotEmpty ?? true,
    };
  }
}

/** Arguments of `resource "grafana_dashboard"`. */
export interface GrafanaDashboardConfig extends TerraformMetaArguments {
  /** `config_json`: the complete dashboard model as JSON. */
  readonly configJson: string;
  /** `folder`: the uid of the folder to put the dashboard in. */
  readonly folder: string;
  /** `overwrite`: replace a dashboard of the same uid made outside Terraform. @default true */
  readonly overwrite?: boolean;
  /** `message`: the version message Grafana records. @default - none */
  readonly message?: string;
}

/** `resource "grafana_dashboard"`. */
export class GrafanaDashboard extends TerraformResource {
  static readonly tfResourceType = "grafana_dashboard";
  private readonly config: GrafanaDashboardConfig;

  constructor(scope: Construct, id: string, config: GrafanaDashboardConfig) {
    super(scope, id, { terraformResourceType: GrafanaDashboard.tfResourceType, terraformGeneratorMetadata: generatorMetadata, ...metaArguments(config) });
    this.config = config;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {
      config_json: this.config.configJson,
      folder: this.config.folder,
      overwrite: this.config.overwrite ?? true,
      message: this.config.message,
    };
  }
}
