package dev.ravine.app.cli;

/**
 * A picocli command that a module built on top of the app adds to {@code ravine}, found with {@link java.util.ServiceLoader}
 * (a {@code META-INF/services/dev.ravine.app.cli.ContributedCommand} file in that module): the app cannot name it,
 * since that module depends on the app. The implementing class carries picocli's {@code @Command} annotation.
 * {@code ravine-lab}'s {@code lab} command is one.
 */
public interface ContributedCommand {}
