export { buildAlertmanagerConfig, type AlertmanagerConfigOptions } from "./build-config";
export type * from "./config-types";
export type { RoutedService } from "./inhibit-rules";
export { anyOf, matcher } from "./matchers";
export { ALERTMANAGER_SECRET_MOUNT_DIR, NULL_RECEIVER, requiredSecretKeys, secretFilePath } from "./receivers";
export { renderAlertmanagerYaml } from "./render";
export { WATCHDOG_TIMING } from "./routes";
