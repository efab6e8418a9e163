// The shape of one API method: a schema for its input (validated once, at the boundary: IPC or
// WebSocket) and a phantom type for its output.
import type { z } from 'zod';

export interface MethodSpec<I extends z.ZodType, O> {
  input: I;
  /** Never set at run time: carries the output type only. */
  readonly __output?: O;
}

export function method<O>() {
  return <I extends z.ZodType>(input: I): MethodSpec<I, O> => ({ input });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySpec = MethodSpec<z.ZodType, any>;
export type InputOf<S> = S extends MethodSpec<infer I, unknown> ? z.input<I> : never;
export type ParsedInputOf<S> = S extends MethodSpec<infer I, unknown> ? z.output<I> : never;
export type OutputOf<S> = S extends MethodSpec<z.ZodType, infer O> ? O : never;
