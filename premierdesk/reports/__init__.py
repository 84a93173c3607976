"""Reports (SPEC §8): figures by office, product, organization and month, as charts and CSV."""
