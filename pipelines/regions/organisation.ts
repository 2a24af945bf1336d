/**
 * The organisation model (config/organisation.yaml): the organisation's own groupings of municipalities with
 * validity periods (the 2011 collaboration areas, the wellbeing services counties), and places for service areas
 * and units. Parsing and validation are pure; errors name the file and the key.
 */
import { fileProblemsError, parseYamlOrThrow, readConfigText } from '../yaml-file.js';
import { z } from 'zod';

export const ORGANISATION_TYPES = ['wellbeing_county', 'collaboration_area', 'sub_area', 'service_area', 'other'] as const;

/** Finnish labels of the organisation types, for pages. */
export const ORGANISATION_TYPE_LABELS_FI: Record<(typeof ORGANISATION_TYPES)[number], string> = {
  wellbeing_county: 'hyvinvointialue',
  collaboration_area: 'yhteistoiminta-alue',
  sub_area: 'osa-alue',
  service_area: 'palvelualue',
  other: 'muu',
};

const Code = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and "-" (e.g. uusi-oulu)');

/** Municipality codes are three digits; YAML may have read an unquoted 084 as the number 84. */
const MunicipalityCode = z.union([
  z.string().regex(/^\d{3}$/, 'a three-digit municipality code, e.g. "564"'),
  z
    .number()
    .int()
    .min(1)
    .max(999)
    .transform((n) => String(n).padStart(3, '0')),
]);

const IsoDate = z.union([
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
    .refine((s) => !Number.isNaN(Date.parse(s)), 'not a real date'),
  z.date().transform((d) => d.toISOString().slice(0, 10)),
]);

/** Validity and note of a member, service area or unit: both dates optional (inherited or open). */
const OptionalValidity = {
  valid_from: IsoDate.optional(),
  valid_to: IsoDate.nullable().optional(),
  note: z.string().optional(),
};

const Member = z
  .object({
    municipality: MunicipalityCode,
    name_fi: z.string().optional(),
    ...OptionalValidity,
  })
  .strict();

const RegionRef = z
  .object({
    category: z.enum(['HYVINVOINTIALUE', 'SAIRAANHOITOPIIRI', 'MAAKUNTA']),
    code: z.union([z.string().regex(/^\d{1,3}$/), z.number().int().transform(String)]),
  })
  .strict();

const Organisation = z
  .object({
    code: Code,
    type: z.enum(ORGANISATION_TYPES),
    name_fi: z.string().min(1),
    name_sv: z.string().optional(),
    name_en: z.string().optional(),
    parent: Code.optional(),
    host_municipality: MunicipalityCode.optional(),
    valid_from: IsoDate,
    valid_to: IsoDate.nullable().default(null),
    /** Members listed one by one … */
    members: z.array(Member).default([]),
    /** … or every municipality of an official region in each year (from marts.regions). */
    region: RegionRef.optional(),
    note: z.string().optional(),
  })
  .strict();

/** A service area or a unit: its code and Finnish name, where it belongs, and when it is valid. */
const ServiceArea = z.object({ code: Code, name_fi: z.string().min(1), organisation: Code, ...OptionalValidity }).strict();
const Unit = z
  .object({ code: Code, name_fi: z.string().min(1), service_area: Code, municipality: MunicipalityCode.optional(), ...OptionalValidity })
  .strict();

export const OrganisationFile = z
  .object({
    version: z.literal(1),
    organisations: z.array(Organisation).min(1),
    service_areas: z.array(ServiceArea).default([]),
    units: z.array(Unit).default([]),
  })
  .strict()
  .superRefine((doc, ctx) => {
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });
    const orgCodes = new Map<string, number>();
    doc.organisations.forEach((o, i) => {
      if (orgCodes.has(o.code)) issue(['organisations', i, 'code'], `duplicate organisation code "${o.code}"`);
      orgCodes.set(o.code, i);
    });
    doc.organisations.forEach((o, i) => {
      if (o.valid_to !== null && o.valid_to < o.valid_from) issue(['organisations', i, 'valid_to'], 'before valid_from');
      if (o.parent !== undefined) {
        if (!orgCodes.has(o.parent)) issue(['organisations', i, 'parent'], `no organisation with code "${o.parent}"`);
        if (o.parent === o.code) issue(['organisations', i, 'parent'], 'an organisation cannot be its own parent');
      }
      if (o.region && o.members.length) {
        issue(['organisations', i, 'region'], 'give either members or region, not both');
      }
      const seen = new Set<string>();
      o.members.forEach((m, j) => {
        const from = m.valid_from ?? o.valid_from;
        const to = m.valid_to === undefined ? o.valid_to : m.valid_to;
        if (from < o.valid_from) issue(['organisations', i, 'members', j, 'valid_from'], `before the organisation's valid_from ${o.valid_from}`);
        if (to !== null && o.valid_to !== null && to > o.valid_to) {
          issue(['organisations', i, 'members', j, 'valid_to'], `after the organisation's valid_to ${o.valid_to}`);
        }
        if (to !== null && to < from) issue(['organisations', i, 'members', j, 'valid_to'], 'before valid_from');
        const key = `${m.municipality}:${from}`;
        if (seen.has(key)) issue(['organisations', i, 'members', j, 'municipality'], `municipality ${m.municipality} listed twice`);
        seen.add(key);
      });
    });
    const areaCodes = new Set<string>();
    doc.service_areas.forEach((a, i) => {
      if (areaCodes.has(a.code)) issue(['service_areas', i, 'code'], `duplicate service area code "${a.code}"`);
      areaCodes.add(a.code);
      if (!orgCodes.has(a.organisation)) issue(['service_areas', i, 'organisation'], `no organisation with code "${a.organisation}"`);
    });
    const unitCodes = new Set<string>();
    doc.units.forEach((u, i) => {
      if (unitCodes.has(u.code)) issue(['units', i, 'code'], `duplicate unit code "${u.code}"`);
      unitCodes.add(u.code);
      if (!areaCodes.has(u.service_area)) issue(['units', i, 'service_area'], `no service area with code "${u.service_area}"`);
    });
  });
export type OrganisationFile = z.infer<typeof OrganisationFile>;

export const OrganisationConfigError = fileProblemsError('OrganisationConfigError', 'organisation model in');
export type OrganisationConfigError = InstanceType<typeof OrganisationConfigError>;

/** `organisations.3.members.1.municipality` → `organisations[3] (lakeus).members[1].municipality`. */
function keyPath(path: (string | number)[], doc: unknown): string {
  let out = '';
  let node: unknown = doc;
  for (const part of path) {
    if (typeof part === 'number') {
      out += `[${part}]`;
      node = Array.isArray(node) ? node[part] : undefined;
      const code = node && typeof node === 'object' && 'code' in node ? (node as { code: unknown }).code : undefined;
      if (typeof code === 'string') out += ` (${code})`;
    } else {
      out += out ? `.${part}` : part;
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
    }
  }
  return out || '(root)';
}

/** Parses and validates the organisation YAML text. Pure. */
export function parseOrganisation(text: string, file: string): OrganisationFile {
  return parseYamlOrThrow(OrganisationFile, text, file, OrganisationConfigError, keyPath);
}

export function loadOrganisation(file: string): OrganisationFile {
  const text = readConfigText(file, OrganisationConfigError);
  return parseOrganisation(text, file);
}
