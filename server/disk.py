"""What stays on disk: whether the Redis behind the rooms keeps them across its own restart."""

RECOMMENDED = "appendonly yes (see the README's deployment notes)"


def persistence_warning(settings: dict | None) -> str | None:
    """Return one line saying what a restart of this Redis would lose, or None when it keeps the rooms.

    `settings` is what CONFIG GET said of `appendonly` and `save`, or None
    when the server would not say.
    """
    if settings is None:
        return ("Could not tell whether the Redis at REDIS_URL keeps rooms across its restart "
                f"(CONFIG GET is not allowed): if it keeps nothing on disk, a restart ends every room. "
                f"Recommended: {RECOMMENDED}.")
    if settings.get("appendonly") == "yes":
        return None
    save = (settings.get("save") or "").strip()
    if not save:
        return ("The Redis at REDIS_URL keeps nothing on disk (appendonly no, no save points): "
                f"a Redis restart ends every room. Recommended: {RECOMMENDED}.")
    return (f"The Redis at REDIS_URL keeps only snapshots (appendonly no, save \"{save}\"): a Redis crash "
            f"loses every room's changes since the last snapshot. Recommended: {RECOMMENDED}.")
