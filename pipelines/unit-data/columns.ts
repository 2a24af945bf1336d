/**
 * The unit-data input contract (docs/scorecard.md): one row per unit and month, comma-separated UTF-8 with a header,
 * decimal point. unit_code and month are required; an empty measure cell means "not reported" (never zero).
 */
export const UNIT_DATA_COLUMNS = [
  'unit_code', // a unit code of config/organisation.yaml (units:)
  'month', // YYYY-MM, inside the unit's validity
  'staff_htv', // staffing in person-years (henkilötyövuodet) in the month, > 0
  'sickness_absence_days', // sickness-absence calendar days, >= 0
  'overtime_hours', // overtime and extra-work hours, >= 0
  'training_days', // training (koulutus) days, >= 0
  'visits', // visits / contacts / admissions, integer >= 0
  'queue_length', // clients waiting at the end of the month, integer >= 0
  'waiting_median_days', // median waiting time of the clients waiting, days >= 0
  'feedback_score', // customer feedback, mean on the 1-5 scale
  'feedback_respondents', // respondents behind feedback_score, integer >= 0
] as const;

export const REQUIRED_UNIT_DATA_COLUMNS = ['unit_code', 'month'] as const;
