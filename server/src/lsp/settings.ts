/**
 * Client settings (`readiness.*`), validated on arrival. They come from workspace/configuration (per
 * document URI), from didChangeConfiguration for clients that push settings, or from
 * initializationOptions.settings; anything malformed is ignored rather than trusted.
 */
import type { Config } from '../engine/index.js';

export interface ReadinessSettings {
  enable: boolean;
  /** ISO date overriding `today` of .readiness.yaml. */
  today: string | undefined;
  /** Overrides `staleAfterDays` of .readiness.yaml. */
  staleAfterDays: number | undefined;
}

export const DEFAULT_SETTINGS: ReadinessSettings = Object.freeze({ enable: true, today: undefined, staleAfterDays: undefined });

const ISO_DATE = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/;

/**
 * Reads a `readiness` settings section over a base. Keys that are missing, null or of the wrong type
 * keep the base's value.
 */
export function parseSettings(raw: unknown, base: ReadinessSettings = DEFAULT_SETTINGS): ReadinessSettings {
  const out: ReadinessSettings = { ...base };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return out;
  const r = raw as Record<string, unknown>;
  if (typeof r.enable === 'boolean') out.enable = r.enable;
  if (typeof r.today === 'string' && ISO_DATE.test(r.today.trim())) out.today = r.today.trim();
  if (typeof r.staleAfterDays === 'number' && Number.isInteger(r.staleAfterDays) && r.staleAfterDays > 0) {
    out.staleAfterDays = r.staleAfterDays;
  }
  return out;
}

/** The `readiness` section of a settings object that may be the whole tree (`{ readiness: {…} }`) or the section. */
export function settingsSection(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  return 'readiness' in r ? r.readiness : raw;
}

/** The config of `.readiness.yaml` with the client's overrides applied (a copy when anything changes). */
export function applySettings(config: Config, settings: ReadinessSettings): Config {
  if (settings.today === undefined && settings.staleAfterDays === undefined) return config;
  return {
    ...config,
    today: settings.today ?? config.today,
    staleAfterDays: settings.staleAfterDays ?? config.staleAfterDays,
  };
}
