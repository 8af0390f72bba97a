const SECRET_KEYS = /^(\s*(?:-\s+)?(?:password|bearer_token|credentials|api_key|auth_token|routing_key|service_key|secret|token|webhook_url|api_url|auth_password|postgres_url)\s*:\s*)(\S.*)$/gim;

/** Replaces secret values (passwords, tokens, keys, webhook URLs, URL credentials) in YAML text with `<secret>`. */
export function redactConfigYaml(text: string): string {
  return text.replace(SECRET_KEYS, (_w, key: string) => `${key}<secret>`).replace(/\/\/([^/:@\s]+):([^/@\s]+)@/g, '//$1:<secret>@');
}
