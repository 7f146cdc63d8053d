package org.myoflow.model.dataset;

import java.io.IOException;

/** A dataset folder that does not follow its layout; the message names the file or case at fault. */
public class DatasetFormatException extends IOException {
    public DatasetFormatException(String message) {
        super(message);
    }
}
