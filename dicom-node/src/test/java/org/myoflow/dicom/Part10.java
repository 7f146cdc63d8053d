package org.myoflow.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** What tests compare of a Part 10 file: its data set bytes (after the meta header) and its meta header's fields. */
public final class Part10 {
    private Part10() {
    }

    /** The bytes after the file meta information: the data set as the sender encoded it. */
    public static byte[] dataSet(Path file) throws IOException, DicomException {
        byte[] all = Files.readAllBytes(file);
        return Arrays.copyOfRange(all, dataSetOffset(file), all.length);
    }

    public static int dataSetOffset(Path file) throws IOException, DicomException {
        return 132 + 12 + Attrs.integer(meta(file), TagFromName.FileMetaInformationGroupLength, 0);
    }

    public static String transferSyntax(Path file) throws IOException, DicomException {
        return Attrs.string(meta(file), TagFromName.TransferSyntaxUID);
    }

    public static String sopInstanceUid(Path file) throws IOException, DicomException {
        return Attrs.string(meta(file), TagFromName.MediaStorageSOPInstanceUID);
    }

    private static AttributeList meta(Path file) throws IOException, DicomException {
        AttributeList meta = new AttributeList();
        meta.readOnlyMetaInformationHeader(file.toFile());
        return meta;
    }
}
