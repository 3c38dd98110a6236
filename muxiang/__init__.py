"""muxiang (牧乡): the platform that runs a county's rural e-commerce demonstration programme."""
