// Bench-only launcher for the device bundle (bench/device/bundle.sh): runs the two commands bench/ingest.sh uses
// without Main's other subcommands, whose classes need Temporal and DJL, which the slim jar leaves out.
public final class Launch {
    public static void main(String[] a) {
        Object cmd = switch (a[0]) {
            case "dicom-node" -> new org.myoflow.infra.cli.DicomNodeCommand();
            case "simulate" -> new org.myoflow.infra.cli.SimulateCommand();
            default -> throw new IllegalArgumentException(a[0]);
        };
        System.exit(new picocli.CommandLine(cmd).execute(java.util.Arrays.copyOfRange(a, 1, a.length)));
    }
}
