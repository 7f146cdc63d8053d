package org.myoflow.infra.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.myoflow.model.dataset.Datasets;
import org.myoflow.model.dataset.LabelledCase;
import org.myoflow.model.inference.Evaluator;
import org.myoflow.model.phantom.PhantomCase;
import org.myoflow.model.phantom.PhantomParameters;
import org.myoflow.model.phantom.PhantomSets;

/** Turns CLI choices (a dataset folder or phantom sets) into labelled cases. */
final class CaseSets {
    private CaseSets() {
    }

    static List<Evaluator.Case> phantoms(List<PhantomSets.Entry> entries) {
        return phantoms(entries, new java.util.HashMap<>());
    }

    /**
     * The same, also recording each phantom's parameters by case id. Each case carries its camera's resolution, as a
     * scanner's would be configured from its QC.
     */
    static List<Evaluator.Case> phantoms(List<PhantomSets.Entry> entries,
                                         java.util.Map<String, PhantomParameters> parameters) {
        List<Evaluator.Case> out = new ArrayList<>();
        for (PhantomSets.Entry e : entries) {
            PhantomCase p = e.generate();
            parameters.put(p.id(), p.parameters());
            out.add(new Evaluator.Case(p.id(), group(p.parameters().scenario()), p.image(), p.myocardium(),
                    p.parameters().psfFwhmMm()));
        }
        return out;
    }

    static List<Evaluator.Case> dataset(Path root) throws IOException {
        List<Evaluator.Case> out = new ArrayList<>();
        for (LabelledCase c : Datasets.open(root)) {
            LabelledCase.Loaded l = c.load();
            out.add(new Evaluator.Case(l.id(), "dataset", l.image(), l.label()));
        }
        return out;
    }

    static String group(String scenario) {
        return scenario.equals("normal") ? "normal" : "hard";
    }
}
