// The part of jsdom the tests use (it ships no types; @types/jsdom would be one more dev dependency for a line).
declare module 'jsdom' {
  export class JSDOM {
    constructor(html: string);
    readonly window: { readonly document: unknown };
  }
}
