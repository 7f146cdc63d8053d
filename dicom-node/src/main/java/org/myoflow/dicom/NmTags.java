package org.myoflow.dicom;

import com.pixelmed.dicom.AttributeTag;

/** NM tags PixelMed's TagFromName lacks (PS3.6 numbers). */
public final class NmTags {
    private NmTags() {
    }

    public static final AttributeTag ROTATION_DIRECTION = new AttributeTag(0x0018, 0x1140);
    public static final AttributeTag SCAN_ARC = new AttributeTag(0x0018, 0x1143);
    public static final AttributeTag ANGULAR_STEP = new AttributeTag(0x0018, 0x1144);
    public static final AttributeTag COLLIMATOR_TYPE = new AttributeTag(0x0018, 0x1181);
    public static final AttributeTag ACTUAL_FRAME_DURATION = new AttributeTag(0x0018, 0x1242);
    public static final AttributeTag NUMBER_OF_FRAMES_IN_ROTATION = new AttributeTag(0x0054, 0x0053);
    public static final AttributeTag START_ANGLE = new AttributeTag(0x0054, 0x0200);
    public static final AttributeTag COUNTS_ACCUMULATED = new AttributeTag(0x0018, 0x0070);
    public static final AttributeTag RADIOPHARMACEUTICAL = new AttributeTag(0x0018, 0x0031);
    public static final AttributeTag NUMBER_OF_ENERGY_WINDOWS = new AttributeTag(0x0054, 0x0011);
    public static final AttributeTag ENERGY_WINDOW_INFORMATION_SEQUENCE = new AttributeTag(0x0054, 0x0012);
    public static final AttributeTag ENERGY_WINDOW_RANGE_SEQUENCE = new AttributeTag(0x0054, 0x0013);
    public static final AttributeTag ENERGY_WINDOW_LOWER_LIMIT = new AttributeTag(0x0054, 0x0014);
    public static final AttributeTag ENERGY_WINDOW_UPPER_LIMIT = new AttributeTag(0x0054, 0x0015);
    public static final AttributeTag ENERGY_WINDOW_NAME = new AttributeTag(0x0054, 0x0018);
    public static final AttributeTag NUMBER_OF_DETECTORS = new AttributeTag(0x0054, 0x0021);
    public static final AttributeTag DETECTOR_INFORMATION_SEQUENCE = new AttributeTag(0x0054, 0x0022);
    public static final AttributeTag NUMBER_OF_ROTATIONS = new AttributeTag(0x0054, 0x0051);
    public static final AttributeTag ROTATION_INFORMATION_SEQUENCE = new AttributeTag(0x0054, 0x0052);
    public static final AttributeTag SLICE_VECTOR = new AttributeTag(0x0054, 0x0080);
    public static final AttributeTag NUMBER_OF_SLICES = new AttributeTag(0x0054, 0x0081);
    public static final AttributeTag RADIONUCLIDE_CODE_SEQUENCE = new AttributeTag(0x0054, 0x0300);
    public static final AttributeTag PATIENT_ORIENTATION_CODE_SEQUENCE = new AttributeTag(0x0054, 0x0410);
    public static final AttributeTag PATIENT_ORIENTATION_MODIFIER_CODE_SEQUENCE = new AttributeTag(0x0054, 0x0412);
    public static final AttributeTag PATIENT_GANTRY_RELATIONSHIP_CODE_SEQUENCE = new AttributeTag(0x0054, 0x0414);
}
