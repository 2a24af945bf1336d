export declare const EVIDENCE_TYPE_SQL: Readonly<Record<'boolean' | 'number' | 'string' | 'date', string>>;
