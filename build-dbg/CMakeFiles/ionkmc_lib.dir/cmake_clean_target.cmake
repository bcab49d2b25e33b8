file(REMOVE_RECURSE
  "libionkmc.a"
)
