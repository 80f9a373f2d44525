{
  "targets": [
    {
      "target_name": "interleave_shm",
      "sources": ["src/shm.c"],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-O2", "-Wall"],
      "conditions": [["OS=='linux'", { "libraries": ["-lrt"] }]]
    }
  ]
}
