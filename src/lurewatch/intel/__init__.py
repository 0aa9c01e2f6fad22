"""Intelligence exchange: STIX 2.1 mapping in and out, a TAXII 2.1 server and client."""
