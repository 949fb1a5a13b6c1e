import type { FlagDefs } from "../cli/flags.ts";

// Flag fragments several commands share. Their long names are also the config file's keys.

export const configFlags = {
  config: { type: "string", valueHint: "file", description: "Config file whose keys are long flag names (default $HOME/.hydra.yaml)" },
} as const satisfies FlagDefs;

export const outputFlags = {
  format: {
    type: "string",
    default: "default",
    valueHint: "format",
    description: "Output format: default, table, json, json-pretty, yaml, jsonpath=<path> or jsonpointer=<pointer>",
  },
  quiet: { type: "boolean", alias: "q", description: "Print only the result, no progress or notices" },
} as const satisfies FlagDefs;

export const transportFlags = {
  "http-header": {
    type: "string",
    alias: "H",
    list: "repeat",
    valueHint: "'Name: value'",
    description: "An extra HTTP header for every request; repeat for more",
  },
  "skip-tls-verify": {
    type: "boolean",
    description: "Accept any TLS certificate. Insecure: only for servers you trust, never in production",
  },
} as const satisfies FlagDefs;

/** The flags every command that talks to Hydra's admin API inherits, as in Hydra v1.8. */
export const adminFlags = {
  endpoint: {
    type: "string",
    alias: "e",
    env: "HYDRA_ADMIN_URL",
    valueHint: "url",
    description: "Hydra's admin API URL, or unix:///path/to/socket",
  },
  "access-token": {
    type: "string",
    env: "OAUTH2_ACCESS_TOKEN",
    description: "Send this access token as a bearer token with every request",
  },
  "fail-after": {
    type: "string",
    default: "1m",
    valueHint: "duration",
    description: "Keep retrying an unreachable server or a 5xx answer this long (e.g. 30s, 1m30s)",
  },
  "fake-tls-termination": {
    type: "boolean",
    description: 'Add "X-Forwarded-Proto: https" to requests, as a TLS-terminating proxy would',
  },
  ...transportFlags,
  ...outputFlags,
  ...configFlags,
} as const satisfies FlagDefs;
