// The `schemasense` settings the server reads (server/project/settings.py), from VS Code's configuration.
// Client-only settings (serverCommand, trace.server) are not sent: the server would report them
// as unknown. Plain data, so it is unit-tested with node:test.

export interface ConfigurationLike {
  get<T>(section: string): T | undefined;
}

export interface ServerSettings {
  enable: boolean;
  debounceMs: number;
  logLevel: string;
  select: string[] | null;
  ignore: string[];
  dialect: string | null;
}

export function serverSettings(config: ConfigurationLike): ServerSettings {
  const dialect = config.get<string>("dialect");
  const select = config.get<string[] | null>("select");
  return {
    enable: config.get<boolean>("enable") ?? true,
    debounceMs: config.get<number>("debounceMs") ?? 0,
    logLevel: config.get<string>("logLevel") ?? "warning",
    select: Array.isArray(select) ? select : null,
    ignore: config.get<string[]>("ignore") ?? [],
    dialect: dialect && dialect !== "auto" ? dialect : null,
  };
}
