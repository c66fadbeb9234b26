// The declarations of fluxcd/pkg runtime/cel's environment (cel-go v0.27.0): the standard library
// (common/stdlib/standard.go, with CrossTypeNumericComparisons enabled), ext.Strings (latest
// version), ext.Sets, ext.Encoders and cel.OptionalTypes (latest version), plus the three
// google.protobuf.Struct variables, which the checker sees as map(string, dyn).

import { T, type Type } from './cel-types.js';

export interface Overload { member: boolean; args: Type[]; result: Type }
export type FunctionDecls = ReadonlyMap<string, readonly Overload[]>;

const A = T.param('A');
const B = T.param('B');
const V = T.param('V');
const K = T.param('K');
const { bool, int, uint, double, string, bytes, timestamp: ts, duration: dur, dyn } = T;

const decls = new Map<string, Overload[]>();
const fn = (name: string, ...os: Overload[]) => decls.set(name, [...(decls.get(name) ?? []), ...os]);
const g = (args: Type[], result: Type): Overload => ({ member: false, args, result });
const m = (args: Type[], result: Type): Overload => ({ member: true, args, result });

// operators
fn('_?_:_', g([bool, A, A], A));
fn('_&&_', g([bool, bool], bool));
fn('_||_', g([bool, bool], bool));
fn('!_', g([bool], bool));
fn('@not_strictly_false', g([bool], bool));
fn('_==_', g([A, A], bool));
fn('_!=_', g([A, A], bool));
fn(
  '_+_',
  g([bytes, bytes], bytes),
  g([double, double], double),
  g([dur, dur], dur),
  g([dur, ts], ts),
  g([ts, dur], ts),
  g([int, int], int),
  g([T.list(A), T.list(A)], T.list(A)),
  g([string, string], string),
  g([uint, uint], uint),
);
fn('_/_', g([double, double], double), g([int, int], int), g([uint, uint], uint));
fn('_%_', g([int, int], int), g([uint, uint], uint));
fn('_*_', g([double, double], double), g([int, int], int), g([uint, uint], uint));
fn('-_', g([double], double), g([int], int));
fn('_-_', g([double, double], double), g([dur, dur], dur), g([int, int], int), g([ts, dur], ts), g([ts, ts], dur), g([uint, uint], uint));
for (const op of ['_<_', '_<=_', '_>_', '_>=_']) {
  fn(
    op,
    g([bool, bool], bool),
    g([int, int], bool),
    g([int, double], bool),
    g([int, uint], bool),
    g([uint, uint], bool),
    g([uint, double], bool),
    g([uint, int], bool),
    g([double, double], bool),
    g([double, int], bool),
    g([double, uint], bool),
    g([string, string], bool),
    g([bytes, bytes], bool),
    g([ts, ts], bool),
    g([dur, dur], bool),
  );
}
fn('_[_]', g([T.list(A), int], A), g([T.map(A, B), A], B));
fn('@in', g([A, T.list(A)], bool), g([A, T.map(A, B)], bool));

// functions
fn('size', g([bytes], int), m([bytes], int), g([T.list(A)], int), m([T.list(A)], int), g([T.map(A, B)], int), m([T.map(A, B)], int), g([string], int), m([string], int));
fn('type', g([A], T.type(A)));
fn('bool', g([bool], bool), g([string], bool));
fn('bytes', g([bytes], bytes), g([string], bytes));
fn('double', g([double], double), g([int], double), g([string], double), g([uint], double));
fn('duration', g([dur], dur), g([int], dur), g([string], dur));
fn('dyn', g([A], dyn));
fn('int', g([int], int), g([double], int), g([dur], int), g([string], int), g([ts], int), g([uint], int));
fn('string', g([string], string), g([bool], string), g([bytes], string), g([double], string), g([dur], string), g([int], string), g([ts], string), g([uint], string));
fn('timestamp', g([ts], ts), g([int], ts), g([string], ts));
fn('uint', g([uint], uint), g([double], uint), g([int], uint), g([string], uint));
fn('contains', m([string, string], bool));
fn('endsWith', m([string, string], bool));
fn('startsWith', m([string, string], bool));
fn('matches', g([string, string], bool), m([string, string], bool));
for (const f of ['getFullYear', 'getMonth', 'getDayOfYear', 'getDayOfMonth', 'getDate', 'getDayOfWeek']) fn(f, m([ts], int), m([ts, string], int));
for (const f of ['getHours', 'getMinutes', 'getSeconds', 'getMilliseconds']) fn(f, m([ts], int), m([ts, string], int), m([dur], int));

// ext.Strings
fn('charAt', m([string, int], string));
fn('indexOf', m([string, string], int), m([string, string, int], int));
fn('lastIndexOf', m([string, string], int), m([string, string, int], int));
fn('lowerAscii', m([string], string));
fn('replace', m([string, string, string], string), m([string, string, string, int], string));
fn('split', m([string, string], T.list(string)), m([string, string, int], T.list(string)));
fn('substring', m([string, int], string), m([string, int, int], string));
fn('trim', m([string], string));
fn('upperAscii', m([string], string));
fn('format', m([string, T.list(dyn)], string));
fn('strings.quote', g([string], string));
fn('join', m([T.list(string)], string), m([T.list(string), string], string));
fn('reverse', m([string], string));

// ext.Sets
const listT = T.list(T.param('T'));
fn('sets.contains', g([listT, listT], bool));
fn('sets.equivalent', g([listT, listT], bool));
fn('sets.intersects', g([listT, listT], bool));

// ext.Encoders
fn('base64.decode', g([string], bytes));
fn('base64.encode', g([bytes], string));

// cel.OptionalTypes
const optV = T.opt(V);
fn('optional.of', g([V], optV));
fn('optional.ofNonZeroValue', g([V], optV));
fn('optional.none', g([], optV));
fn('value', m([optV], V));
fn('hasValue', m([optV], bool));
fn('or', m([optV, optV], optV));
fn('orValue', m([optV, V], V));
fn('_?._', g([dyn, string], optV));
fn('_[?_]', g([T.list(V), int], optV), g([T.opt(T.list(V)), int], optV), g([T.map(K, V), K], optV), g([T.opt(T.map(K, V)), K], optV));
fn('_[_]', g([T.opt(T.list(V)), int], optV), g([T.opt(T.map(K, V)), K], optV));
fn('last', m([T.list(V)], optV));
fn('first', m([T.list(V)], optV));
fn('optional.unwrap', g([T.list(optV)], T.list(V)));
fn('unwrapOpt', m([T.list(optV)], T.list(V)));

export const FUNCTIONS: FunctionDecls = decls;

/** Identifiers: the Struct variables and the type names the standard library declares. */
export const IDENTS: ReadonlyMap<string, Type> = new Map<string, Type>([
  ['event', T.map(string, dyn)],
  ['alert', T.map(string, dyn)],
  ['provider', T.map(string, dyn)],
  ['bool', T.type(bool)],
  ['bytes', T.type(bytes)],
  ['double', T.type(double)],
  ['google.protobuf.Duration', T.type(dur)],
  ['int', T.type(int)],
  ['list', T.type(T.list(A))],
  ['map', T.type(T.map(A, B))],
  ['null_type', T.type(T.null)],
  ['string', T.type(string)],
  ['google.protobuf.Timestamp', T.type(ts)],
  ['type', T.type(T.type())],
  ['uint', T.type(uint)],
  ['optional_type', T.type({ k: 'opaque', name: 'optional_type', p: [] })],
]);
