/**
 * The domain's code lists the configuration and the inputs are validated against, defined once (their Finnish labels
 * for pages live in the marts' SQL and the seeds, pipelines/sql/seeds/). Pure constants.
 */

/** The canonical 5-year age groups of the population and service-use contracts, in order: '0-4', …, '80-84', '85+'. */
export const AGE_GROUPS = [
  '0-4', '5-9', '10-14', '15-19', '20-24', '25-29', '30-34', '35-39', '40-44',
  '45-49', '50-54', '55-59', '60-64', '65-69', '70-74', '75-79', '80-84', '85+',
] as const;
export type AgeGroup = (typeof AGE_GROUPS)[number];

/** The service types of the service-use contract (docs/service-use.md). */
export const SERVICE_TYPES = ['outpatient_visit', 'inpatient_period', 'day_surgery', 'other'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];
