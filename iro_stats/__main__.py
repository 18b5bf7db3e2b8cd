from iro_stats.cli import main

main()
