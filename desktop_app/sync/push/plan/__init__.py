"""Plan: pending ops of one entity coalesced into the unit of work one request carries."""
