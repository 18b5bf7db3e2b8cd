"""Run iro-stats from a checkout: `python cli.py report sample_data/`."""

from iro_stats.cli import main

if __name__ == "__main__":
    main()
