-- Service-need projection for the foresight page (docs/foresight.md): central line and band, small numbers withheld.
select * from marts.service_need_projection
