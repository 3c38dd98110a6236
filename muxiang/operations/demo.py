"""Demo records of this app (see ``muxiang.demo.activity``)."""


def seed(demo) -> dict[str, int]:
    return {}
