"""Reports (docs/product/surveys-and-reports.md#reports): figures by office, product, organization
and month, as charts and CSV."""
