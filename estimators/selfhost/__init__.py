"""Self-hosting: the GPU catalogue, training FLOPs and memory, serving throughput and sizing."""
