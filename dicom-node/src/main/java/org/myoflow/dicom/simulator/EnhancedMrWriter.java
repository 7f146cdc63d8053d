package org.myoflow.dicom.simulator;

import static org.myoflow.dicom.Attrs.put;
import static org.myoflow.dicom.Attrs.putEmpty;
import static org.myoflow.dicom.Attrs.sequence;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.AttributeTagAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.IOException;
import java.nio.file.Path;
import org.myoflow.dicom.volume.DicomGeometry;
import org.myoflow.model.volume.Volume;

/**
 * Writes a {@link Volume} as one Enhanced MR Image Storage instance: a 3-D gradient-echo acquisition whose frames
 * carry their Plane Position in the Per-frame Functional Groups, with one dimension (position along the normal).
 * Stored unsigned 16-bit with Rescale Slope {@code 1/scale} in the Pixel Value Transformation group.
 */
public final class EnhancedMrWriter {
    public static final String ENHANCED_MR = "1.2.840.10008.5.1.4.1.1.4.1";

    private EnhancedMrWriter() {
    }

    private static AttributeTag t(int group, int element) {
        return new AttributeTag(group, element);
    }

    public static AttributeList build(Volume volume, StudyIdentity id, int seriesNumber, double scale)
            throws DicomException {
        DicomGeometry geo = DicomGeometry.fromAffine(volume.grid());
        int nx = volume.grid().nx(), ny = volume.grid().ny(), nz = volume.grid().nz();
        AttributeList l = CommonModules.start(ENHANCED_MR, "MR", id, seriesNumber, 1);
        put(l, TagFromName.SeriesDescription, "3D T1 gradient echo (simulated)");
        put(l, TagFromName.PatientPosition, "HFS");
        l.remove(TagFromName.Laterality); // Frame Laterality in the Frame Anatomy group says it instead
        put(l, t(0x0018, 0x1000), "SIM-0001");          // Device Serial Number
        put(l, t(0x0018, 0x1020), "myoflow-simulator");  // Software Versions
        CommonModules.monochrome16(l, ny, nx, false);
        put(l, TagFromName.NumberOfFrames, nz);
        put(l, TagFromName.ImageType, "ORIGINAL", "PRIMARY", "VOLUME", "NONE");
        imageCharacteristics(l);
        put(l, t(0x0008, 0x002A), id.studyDate() + id.studyTime()); // Acquisition DateTime
        put(l, t(0x0018, 0x9073), 300.0);                              // Acquisition Duration
        put(l, t(0x0018, 0x9004), "PRODUCT");                          // Content Qualification
        put(l, t(0x0018, 0x9100), "1H");                               // Resonant Nucleus
        put(l, t(0x0018, 0x9064), "NONE");                             // k-space Filtering
        put(l, t(0x0018, 0x0087), 3.0);                                // Magnetic Field Strength
        put(l, t(0x0018, 0x9174), "IEC");                              // Applicable Safety Standard Agency
        put(l, t(0x0028, 0x0301), "NO");                               // Burned In Annotation
        put(l, t(0x0028, 0x2110), "00");                               // Lossy Image Compression
        put(l, t(0x2050, 0x0020), "IDENTITY");                         // Presentation LUT Shape
        pulseSequence(l);
        putEmpty(l, t(0x0040, 0x0555));                                // Acquisition Context Sequence
        String dimensionUid = id.childUid("series-" + seriesNumber + "/dimensions");
        AttributeList organisation = new AttributeList();
        put(organisation, t(0x0020, 0x9164), dimensionUid);
        sequence(l, t(0x0020, 0x9221), organisation);
        AttributeList index = new AttributeList();
        tag(index, t(0x0020, 0x9165), TagFromName.ImagePositionPatient);
        tag(index, t(0x0020, 0x9167), TagFromName.PlanePositionSequence);
        put(index, t(0x0020, 0x9164), dimensionUid);
        sequence(l, t(0x0020, 0x9222), index);
        put(l, t(0x0020, 0x9311), "3D");                               // Dimension Organization Type

        sequence(l, TagFromName.SharedFunctionalGroupsSequence, shared(geo, scale, nx, ny, nz));
        AttributeList[] frames = new AttributeList[nz];
        for (int k = 0; k < nz; k++) {
            AttributeList f = new AttributeList();
            AttributeList content = new AttributeList();
            put(content, t(0x0020, 0x9157), k + 1);                    // Dimension Index Values
            put(content, t(0x0018, 0x9074), id.studyDate() + id.studyTime()); // Frame Acquisition DateTime
            put(content, t(0x0018, 0x9151), id.studyDate() + id.studyTime()); // Frame Reference DateTime
            put(content, t(0x0018, 0x9220), 300.0);                    // Frame Acquisition Duration
            sequence(f, TagFromName.FrameContentSequence, content);
            AttributeList position = new AttributeList();
            put(position, TagFromName.ImagePositionPatient, geo.framePosition(k));
            sequence(f, TagFromName.PlanePositionSequence, position);
            frames[k] = f;
        }
        sequence(l, TagFromName.PerFrameFunctionalGroupsSequence, frames);

        short[] pixels = new short[nx * ny * nz];
        float[] v = volume.data();
        for (int k = 0; k < nz; k++) {
            int z = geo.frameToZ(k, nz);
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    long s = Math.round(v[x + nx * (y + ny * z)] * scale);
                    pixels[k * nx * ny + y * nx + x] = (short) Math.max(0, Math.min(65535, s));
                }
            }
        }
        OtherWordAttribute pd = new OtherWordAttribute(TagFromName.PixelData);
        pd.setValues(pixels);
        l.put(pd);
        return l;
    }

    private static AttributeList shared(DicomGeometry geo, double scale, int nx, int ny, int nz)
            throws DicomException {
        AttributeList g = new AttributeList();
        org.myoflow.dicom.FunctionalGroups.planeGeometry(g, geo);
        AttributeList transform = new AttributeList();
        put(transform, TagFromName.RescaleIntercept, 0.0);
        put(transform, TagFromName.RescaleSlope, 1.0 / scale);
        put(transform, TagFromName.RescaleType, "US");
        sequence(g, t(0x0028, 0x9145), transform);
        AttributeList frameType = new AttributeList();
        put(frameType, t(0x0008, 0x9007), "ORIGINAL", "PRIMARY", "VOLUME", "NONE");
        imageCharacteristics(frameType);
        sequence(g, t(0x0018, 0x9226), frameType);
        AttributeList timing = new AttributeList();
        put(timing, TagFromName.RepetitionTime, 10.0);
        put(timing, t(0x0018, 0x1314), 15.0);                          // Flip Angle
        put(timing, t(0x0018, 0x0091), 1);                             // Echo Train Length
        put(timing, t(0x0018, 0x9240), 1);                             // RF Echo Train Length
        put(timing, t(0x0018, 0x9241), 1);                             // Gradient Echo Train Length
        AttributeList sar = new AttributeList();
        put(sar, t(0x0018, 0x9179), "IEC_WHOLE_BODY");                 // Specific Absorption Rate Definition
        put(sar, t(0x0018, 0x9181), 0.5);                              // Specific Absorption Rate Value
        sequence(timing, t(0x0018, 0x9239), sar);
        AttributeList mode = new AttributeList();
        put(mode, t(0x0018, 0x9177), "RF");                            // Operating Mode Type
        put(mode, t(0x0018, 0x9178), "IEC_NORMAL");                    // Operating Mode
        sequence(timing, t(0x0018, 0x9176), mode);
        put(timing, t(0x0018, 0x9180), "DB_DT");                       // Gradient Output Type
        put(timing, t(0x0018, 0x9182), 0.5);                           // Gradient Output
        sequence(g, t(0x0018, 0x9112), timing);
        AttributeList fov = new AttributeList();
        put(fov, t(0x0018, 0x1312), "ROW");                            // In-plane Phase Encoding Direction
        put(fov, t(0x0018, 0x9058), nx);                               // Frequency Encoding Steps
        put(fov, t(0x0018, 0x9231), ny);                               // Phase Encoding Steps in-plane
        put(fov, t(0x0018, 0x9232), nz);                               // Phase Encoding Steps out-of-plane
        put(fov, t(0x0018, 0x0093), 100.0);                            // Percent Sampling
        put(fov, t(0x0018, 0x0094), 100.0);                            // Percent Phase Field of View
        sequence(g, t(0x0018, 0x9125), fov);
        AttributeList echo = new AttributeList();
        put(echo, t(0x0018, 0x9082), 3.0);                             // Effective Echo Time
        sequence(g, t(0x0018, 0x9114), echo);
        AttributeList modifier = new AttributeList();
        put(modifier, t(0x0018, 0x9009), "NO");                        // Inversion Recovery
        put(modifier, t(0x0018, 0x9010), "NONE");                      // Flow Compensation
        put(modifier, t(0x0018, 0x9021), "NO");                        // T2 Preparation
        put(modifier, t(0x0018, 0x9026), "NONE");                      // Spectrally Selected Excitation
        put(modifier, t(0x0018, 0x9027), "NONE");                      // Spatial Pre-saturation
        put(modifier, t(0x0018, 0x9081), "NO");                        // Partial Fourier
        put(modifier, t(0x0018, 0x9077), "NO");                        // Parallel Acquisition
        sequence(g, t(0x0018, 0x9115), modifier);
        AttributeList imaging = new AttributeList();
        put(imaging, t(0x0018, 0x9020), "NONE");                       // Magnetization Transfer
        put(imaging, t(0x0018, 0x9022), "NO");                         // Blood Signal Nulling
        put(imaging, t(0x0018, 0x9028), "NONE");                       // Tagging
        put(imaging, t(0x0018, 0x9098), 127.7);                        // Transmitter Frequency
        put(imaging, t(0x0018, 0x0095), 200.0);                        // Pixel Bandwidth
        sequence(g, t(0x0018, 0x9006), imaging);
        AttributeList receive = new AttributeList();
        put(receive, t(0x0018, 0x1250), "BODY");
        putEmpty(receive, t(0x0018, 0x9041));                          // Receive Coil Manufacturer Name
        put(receive, t(0x0018, 0x9043), "BODY");
        put(receive, t(0x0018, 0x9044), "NO");
        sequence(g, t(0x0018, 0x9042), receive);
        AttributeList transmit = new AttributeList();
        put(transmit, t(0x0018, 0x1251), "BODY");
        putEmpty(transmit, t(0x0018, 0x9050));                         // Transmit Coil Manufacturer Name
        put(transmit, t(0x0018, 0x9051), "BODY");                      // Transmit Coil Type
        sequence(g, t(0x0018, 0x9049), transmit);
        AttributeList anatomy = new AttributeList();
        sequence(anatomy, TagFromName.AnatomicRegionSequence, org.myoflow.dicom.Attrs.code("80891009", "SCT",
                "Heart"));
        put(anatomy, t(0x0020, 0x9072), "U");                          // Frame Laterality: unpaired
        sequence(g, t(0x0020, 0x9071), anatomy);                       // Frame Anatomy Sequence
        AttributeList averages = new AttributeList();
        put(averages, t(0x0018, 0x0083), 1.0);
        sequence(g, t(0x0018, 0x9119), averages);
        return g;
    }

    private static void imageCharacteristics(AttributeList l) throws DicomException {
        put(l, t(0x0008, 0x9205), "MONOCHROME");   // Pixel Presentation
        put(l, t(0x0008, 0x9206), "VOLUME");       // Volumetric Properties
        put(l, t(0x0008, 0x9207), "NONE");         // Volume Based Calculation Technique
        put(l, t(0x0008, 0x9208), "MAGNITUDE");    // Complex Image Component
        put(l, t(0x0008, 0x9209), "T1");           // Acquisition Contrast
    }

    private static void pulseSequence(AttributeList l) throws DicomException {
        put(l, t(0x0018, 0x9005), "GRE3D");        // Pulse Sequence Name
        put(l, t(0x0018, 0x0023), "3D");           // MR Acquisition Type
        put(l, t(0x0018, 0x9008), "GRADIENT");     // Echo Pulse Sequence
        put(l, t(0x0018, 0x9012), "NO");           // Multi-planar Excitation
        put(l, t(0x0018, 0x9014), "NO");           // Phase Contrast
        put(l, t(0x0018, 0x9015), "NO");           // Time of Flight Contrast
        put(l, t(0x0018, 0x9017), "NONE");         // Steady State Pulse Sequence
        put(l, t(0x0018, 0x9018), "NO");           // Echo Planar Pulse Sequence
        put(l, t(0x0018, 0x9024), "NO");           // Saturation Recovery
        put(l, t(0x0018, 0x9025), "NONE");         // Spectrally Selected Suppression
        put(l, t(0x0018, 0x9029), "NONE");         // Oversampling Phase
        put(l, t(0x0018, 0x9032), "RECTILINEAR");  // Geometry of k-Space Traversal
        put(l, t(0x0018, 0x9033), "SINGLE");       // Segmented k-Space Traversal
        put(l, t(0x0018, 0x9034), "LINEAR");       // Rectilinear Phase Encode Reordering
        put(l, t(0x0018, 0x9093), 1);              // Number of k-Space Trajectories
        put(l, t(0x0018, 0x9094), "FULL");         // Coverage of k-Space
    }

    private static void tag(AttributeList l, AttributeTag tag, AttributeTag value) throws DicomException {
        AttributeTagAttribute a = new AttributeTagAttribute(tag);
        a.addValue(value);
        l.put(a);
    }

    /** Writes a Part 10 file (explicit VR little endian). */
    public static AttributeList write(Volume volume, StudyIdentity id, int seriesNumber, double scale, Path file)
            throws DicomException, IOException {
        AttributeList l = build(volume, id, seriesNumber, scale);
        FileMetaInformation.addFileMetaInformation(l, TransferSyntax.ExplicitVRLittleEndian, "MYOFLOW_SIM");
        l.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        return l;
    }
}
