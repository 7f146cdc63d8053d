package org.myoflow.model.io;

import java.io.IOException;

/** A file that is not a readable NIfTI-1 volume; the message says what is wrong with it. */
public class NiftiFormatException extends IOException {
    public NiftiFormatException(String message) {
        super(message);
    }

    public NiftiFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
