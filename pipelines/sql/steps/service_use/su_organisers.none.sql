-- temp.su_organisers without the organisation model (a service-use run on its own): no organisers.
create or replace temp table su_organisers (org_id varchar);
