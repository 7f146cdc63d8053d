package org.myoflow.workers;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The reconstructed resolution (FWHM, mm, from each camera's QC) of the SPECT cameras a site runs, by the calling AE
 * title their studies arrive from, for the volume calibration. A site with one camera gives one number; a site with
 * several names each sender, and {@code *} covers the rest. A sender without a resolution is calibrated from the
 * image alone (less exact, logged), never with another camera's value.
 *
 * @param byCallingAe resolution per calling AE title (upper case)
 * @param otherwise resolution for any other sender, or null when unknown
 */
public record CameraResolutions(Map<String, Double> byCallingAe, Double otherwise) {
    public static final CameraResolutions UNKNOWN = new CameraResolutions(Map.of(), null);
    static final double MIN_MM = 3;
    static final double MAX_MM = 30;

    public CameraResolutions {
        byCallingAe = Map.copyOf(byCallingAe);
    }

    /** One resolution for every sender. */
    public static CameraResolutions all(double fwhmMm) {
        return new CameraResolutions(Map.of(), checked(fwhmMm, String.valueOf(fwhmMm)));
    }

    /**
     * Parses {@code 14} (every sender) or {@code NM_CAM1=13.5,NM_CAM2=15.2,*=14} (by calling AE title); blank is
     * unknown.
     */
    public static CameraResolutions parse(String text) {
        String v = text == null ? "" : text.strip();
        if (v.isEmpty()) {
            return UNKNOWN;
        }
        if (!v.contains("=")) {
            return new CameraResolutions(Map.of(), mm(v));
        }
        Map<String, Double> byAe = new LinkedHashMap<>();
        Double otherwise = null;
        for (String entry : v.split(",")) {
            String[] kv = entry.split("=", -1);
            if (kv.length != 2 || kv[0].isBlank()) {
                throw new IllegalArgumentException("expected AE=mm, got '" + entry.strip() + "'");
            }
            String ae = kv[0].strip().toUpperCase(Locale.ROOT);
            double mm = mm(kv[1].strip());
            if (ae.equals("*")) {
                otherwise = mm;
            } else if (ae.length() > 16) {
                throw new IllegalArgumentException("AE title '" + ae + "' is longer than 16 characters");
            } else if (byAe.put(ae, mm) != null) {
                throw new IllegalArgumentException("AE title " + ae + " given twice");
            }
        }
        return new CameraResolutions(byAe, otherwise);
    }

    /** The resolution of the camera behind this sender, or null when not configured. */
    public Double forCallingAe(String callingAe) {
        if (callingAe != null) {
            Double mm = byCallingAe.get(callingAe.strip().toUpperCase(Locale.ROOT));
            if (mm != null) {
                return mm;
            }
        }
        return otherwise;
    }

    private static double mm(String v) {
        try {
            return checked(Double.parseDouble(v), v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a resolution must be a number of mm, got '" + v + "'");
        }
    }

    private static double checked(double mm, String as) {
        if (!(mm >= MIN_MM && mm <= MAX_MM)) {
            throw new IllegalArgumentException("a SPECT resolution lies in 3-30 mm, got " + as);
        }
        return mm;
    }
}
