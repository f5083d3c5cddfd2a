// node-postgres's own parameter conversion and quoting (pg/lib/utils.js, public in its exports map).
declare module 'pg/lib/utils' {
  const utils: {
    /** A parameter's text as node-postgres sends it; a Buffer for bytes; null for null. */
    prepareValue(value: unknown): unknown;
    escapeLiteral(text: string): string;
  };
  export default utils;
}
