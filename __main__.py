from govgraph.cli import main

if __name__ == "__main__":  # not when a serve worker process is spawned
    main()
