from muxiang.cli import main

main()
