package dev.ravine.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The reason an I/O operation failed, in words, for messages that already name the file. The JDK's file-system
 * exceptions carry only the path as their message ("cannot read x: x"), the reason being in their type or in a
 * separate field; this puts the reason first and the path only when it differs from the one the message names.
 */
public final class IoProblem {
    private IoProblem() {}

    public static String describe(IOException e) {
        String reason = switch (e) {
            case AccessDeniedException a -> "permission denied (check the file's and its folders' permissions)";
            case NoSuchFileException n -> "no such file or folder";
            case FileAlreadyExistsException f -> "it already exists";
            case DirectoryNotEmptyException d -> "the folder is not empty";
            case NotDirectoryException d -> "not a folder";
            case FileSystemException f when f.getReason() != null -> f.getReason();
            case FileSystemException f -> "file system error";
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
        if (e instanceof FileSystemException f && f.getOtherFile() != null) reason += " (" + f.getOtherFile() + ")";
        return reason;
    }
}
