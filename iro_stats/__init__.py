"""iro-stats: IRO escalation tables for a Corporate Parenting Committee."""

__version__ = "0.1.0"
