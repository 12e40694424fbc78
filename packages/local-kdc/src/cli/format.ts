/** Text and JSON renderings of principals and policies for the CLI. */
import { enctypeName } from '@postntlm/krb5-crypto';
import type { PrincipalInfo } from '../store/kdc-database.js';
import type { LockoutPolicy } from '../store/records.js';

const FOREVER_MS = 8.64e15;

export const etypeLabel = (enctype: number): string => enctypeName(enctype) ?? `enctype-${enctype}`;

function dateText(d: Date | undefined, none: string): string {
  if (d === undefined) return none;
  return d.getTime() >= FOREVER_MS ? 'until unlocked' : d.toISOString();
}

function durationText(seconds: number | undefined): string {
  if (seconds === undefined) return '(realm policy)';
  if (seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** MIT kadmin's attribute names, for the settings that differ from a plain principal. */
export function attributeNames(info: PrincipalInfo): string[] {
  const out: string[] = [];
  if (info.requiresPreauth) out.push('REQUIRES_PRE_AUTH');
  if (info.disallowServer) out.push('DISALLOW_SVR');
  if (info.noAuthDataRequired) out.push('NO_AUTH_DATA_REQUIRED');
  if (info.disabled) out.push('DISALLOW_ALL_TIX');
  return out;
}

/** `lkdc principal show`, in the spirit of kadmin's getprinc. */
export function principalText(info: PrincipalInfo): string {
  const rows: [string, string][] = [
    ['Principal', info.name],
    ['Kind', info.kind],
    ['Key version', String(info.kvno)],
    [
      'Keys',
      info.keys
        .map(
          (k) =>
            `kvno ${k.kvno} ${etypeLabel(k.enctype)}${k.salt === undefined ? '' : ` salt ${JSON.stringify(k.salt)}`}`,
        )
        .join('\n'),
    ],
    ['Attributes', attributeNames(info).join(' ') || '-'],
    ['Maximum ticket life', durationText(info.maxLifeSeconds)],
    ['Maximum renewable life', durationText(info.maxRenewSeconds)],
    ['Expires', dateText(info.expiresAt, 'never')],
    ['Password set', info.passwordSetAt.toISOString()],
    ['Created', info.createdAt.toISOString()],
    ['Modified', info.modifiedAt.toISOString()],
    ['Failed logins', String(info.failedLogins)],
    ['Last failure', dateText(info.lastFailureAt, '-')],
    ['Locked until', dateText(info.lockedUntil, '-')],
    ['Aliases', info.aliases.join(' ') || '-'],
  ];
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  return rows
    .map(([k, v]) => {
      const [first, ...more] = v.split('\n');
      return [`${`${k}:`.padEnd(width)}${first}`, ...more.map((m) => `${' '.repeat(width)}${m}`)].join('\n');
    })
    .join('\n');
}

/** JSON form of a principal: dates as ISO text, enctypes with their names. */
export function principalJson(info: PrincipalInfo): Record<string, unknown> {
  return {
    ...info,
    keys: info.keys.map((k) => ({ ...k, enctypeName: etypeLabel(k.enctype) })),
    attributes: attributeNames(info),
    lockedOut: info.lockedUntil !== undefined,
    lockedUntil:
      info.lockedUntil === undefined
        ? undefined
        : info.lockedUntil.getTime() >= FOREVER_MS
          ? 'until-unlocked'
          : info.lockedUntil,
  };
}

export function lockoutText(p: LockoutPolicy): string {
  if (p.maxFailures === 0) return 'off (failed logins never lock an account)';
  const lasts =
    p.lockoutSeconds === 0 ? 'until an administrator unlocks' : `for ${durationText(p.lockoutSeconds)}`;
  return `${p.maxFailures} failed logins within ${durationText(p.failureWindowSeconds)} lock an account ${lasts}`;
}

export const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
