package org.graft.update.internal.transaction;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.graft.container.StateEntryPlan;
import org.graft.container.StateRehearsal;
import org.graft.container.StateTransferResult;
import org.graft.update.UpdateStep;
import org.graft.update.dto.BundlePlanDTO;
import org.graft.update.dto.ServicePlanDTO;
import org.graft.update.dto.StateEntryDTO;
import org.graft.update.dto.StepDTO;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.dto.UpdatePlanDTO;
import org.graft.update.dto.UpdateReportDTO;
import org.graft.update.internal.planning.PlannedService;
import org.graft.update.internal.planning.Replacement;
import org.graft.update.internal.planning.SelectedBundle;
import org.graft.update.internal.planning.Selection;
import org.graft.update.internal.planning.UpdatePlan;

/**
 * The one writer of an update's report: what the transaction learns, turned into the report's DTOs,
 * and the report's wording (outcome, failed step, message, timings). Readers on other threads
 * ({@code status()}) see the steps through a copy-on-write list; the other fields are published by
 * the update manager once the report is done.
 */
final class ReportWriter {
    private final UpdateReportDTO report = new UpdateReportDTO();
    private Selection selection;

    ReportWriter(long id, String kind, UpdateOptionsDTO options) {
        report.id = id;
        report.kind = kind;
        report.options = options == null ? new UpdateOptionsDTO() : options;
        report.steps = new CopyOnWriteArrayList<StepDTO>();
        report.plan = new UpdatePlanDTO();
        // read by status() on other threads while the update adds to them
        report.plan.bundles = new CopyOnWriteArrayList<>();
        report.plan.services = new CopyOnWriteArrayList<>();
        report.plan.refusals = new CopyOnWriteArrayList<>();
        report.plan.strategy = report.options.strategy;
    }

    UpdateReportDTO dto() {
        return report;
    }

    void begin() {
        report.outcome = UpdateReportDTO.IN_PROGRESS;
        report.startedAt = System.currentTimeMillis();
    }

    void selected(Selection selected) {
        selection = selected;
        report.options = selected.options();
        report.plan.strategy = selected.options().strategy;
        for (SelectedBundle bundle : selected.bundles()) {
            BundlePlanDTO dto = new BundlePlanDTO();
            dto.symbolicName = bundle.running().getSymbolicName();
            dto.fromVersion = bundle.running().getVersion().toString();
            dto.toVersion = bundle.source().version().toString();
            dto.fromBundleId = bundle.running().getBundleId();
            dto.location = bundle.source().location();
            report.plan.bundles.add(dto);
        }
    }

    void installed(List<Replacement> replacements) {
        for (int i = 0; i < replacements.size(); i++) {
            report.plan.bundles.get(i).toBundleId = replacements.get(i).installed().getBundleId();
        }
    }

    /** The plan's services, matched or not, and its refusals, so that a refused report shows what was found. */
    void planned(UpdatePlan plan) {
        for (PlannedService service : plan.services()) {
            report.plan.services.add(service(service));
        }
        refusals(plan.refusals());
    }

    /** The services planned again at activation, from the instances that registered. */
    void activated(Collection<PlannedService> services) {
        for (PlannedService service : services) {
            if (service.atActivation()) {
                report.plan.services.replaceAll(dto -> dto.identity.equals(service.identity()) ? service(service) : dto);
            }
        }
    }

    private ServicePlanDTO service(PlannedService service) {
        ServicePlanDTO dto = new ServicePlanDTO();
        dto.identity = service.identity();
        dto.bundle = service.running().provider().getSymbolicName();
        dto.interfaces.addAll(service.running().interfaces());
        for (SelectedBundle bundle : selection.bundles()) {
            if (bundle.running().getBundleId() == service.running().provider().getBundleId()) {
                dto.fromVersion = bundle.running().getVersion().toString();
                dto.toVersion = bundle.source().version().toString();
            }
        }
        if (service.atActivation()) {
            dto.note = service.nextClass() == null
                    ? "registered by the next version other than through DS, and no class of the running implementation's"
                            + " name there: its state is planned when it registers"
                    : "registered by the next version other than through DS: planned from its " + service.nextClass().getName()
                            + ", and again from the instance that registers";
        }
        if (service.state() != null) {
            dto.transformer = service.state().transformer().orElse(null);
            for (StateEntryPlan entry : service.state().entries()) {
                dto.state.add(entry(entry));
            }
        }
        return dto;
    }

    /** What the rehearsal found, entry by entry, and its estimate. */
    void rehearsed(Rehearsal rehearsal) {
        report.timings.estimatedTransferMicros = rehearsal.estimateMicros();
        rehearsal.results().forEach((service, result) -> {
            for (ServicePlanDTO dto : report.plan.services) {
                if (dto.identity.equals(service.identity())) {
                    dto.estimatedTransferMicros = TimeUnit.NANOSECONDS.toMicros(result.convertNanos());
                    for (StateRehearsal.Entry entry : result.entries()) {
                        StateEntryDTO state = dto.state.stream().filter(e -> e.name.equals(entry.name())).findFirst().orElseGet(() -> {
                            StateEntryDTO added = new StateEntryDTO();
                            added.name = entry.name();
                            dto.state.add(added);
                            return added;
                        });
                        state.rehearsal = entry.outcome().name();
                        state.rehearsalDetail = entry.detail();
                    }
                }
            }
        });
    }

    void refusals(List<String> refusals) {
        for (String refusal : refusals) {
            if (!report.plan.refusals.contains(refusal)) {
                report.plan.refusals.add(refusal);
            }
        }
    }

    private static StateEntryDTO entry(StateEntryPlan entry) {
        StateEntryDTO dto = new StateEntryDTO();
        dto.name = entry.name();
        dto.action = entry.action().name();
        dto.fromType = entry.fromType();
        dto.toType = entry.toType();
        dto.reason = entry.reason();
        return dto;
    }

    void handedOver(Handover handover) {
        report.timings.heldMicros = handover.heldMicros();
        report.timings.drainMicros = handover.drainMicros();
        report.timings.unlinkMicros = handover.unlinkMicros();
        report.timings.transferMicros = handover.transferMicros();
        for (StateTransferResult result : handover.transferred()) {
            report.timings.captureMicros += TimeUnit.NANOSECONDS.toMicros(result.captureNanos());
            report.timings.convertMicros += TimeUnit.NANOSECONDS.toMicros(result.convertNanos());
            report.timings.injectMicros += TimeUnit.NANOSECONDS.toMicros(result.injectNanos());
        }
    }

    /** The update did not happen: what stopped it, and what state the system is in now. */
    void aborted(StepFailure failure, List<String> undoProblems) {
        report.outcome = failure.refusal() ? UpdateReportDTO.REFUSED : UpdateReportDTO.FAILED;
        report.failedStep = failure.step().label();
        String what;
        if (!failure.refusal()) {
            what = "failed at step " + failure.step().label() + ": ";
        } else if (UpdateReportDTO.ROLLBACK.equals(report.kind) && failure.step() == UpdateStep.PLAN) {
            what = "rollback refused, there is no way down: ";
        } else {
            // the outcome, REFUSED, says it already ("Update 4 REFUSED: ...")
            what = "";
        }
        report.message = what + String.join("; ", failure.reasons()) + ". " + stateNow()
                + (undoProblems.isEmpty() ? "" : "; but " + String.join("; ", undoProblems));
    }

    /** The update happened; {@code retireProblem} (or null) says what went wrong after the swap. */
    void succeeded(String retireProblem) {
        report.outcome = UpdateReportDTO.SUCCEEDED;
        // no timings here: the report's timings carry them, in one unit style, with one total
        report.message = (UpdateReportDTO.ROLLBACK.equals(report.kind) ? "rolled back " : "updated ") + servedChanges()
                + (retireProblem == null ? "" : ". The new version serves, but retiring the old one failed: " + retireProblem);
    }

    void finish(long startNanos) {
        report.finishedAt = System.currentTimeMillis();
        report.timings.totalMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - startNanos);
    }

    private String stateNow() {
        if (selection == null) {
            return "Nothing changed.";
        }
        List<String> serving = selection.bundles().stream().map(SelectedBundle::describeRunning).toList();
        return "Nothing changed: " + String.join(", ", serving) + (serving.size() > 1 ? " serve" : " serves")
                + " on with " + (serving.size() > 1 ? "their" : "its") + " state untouched";
    }

    /**
     * The changes with the bundle ids: the version that serves now is another bundle than the one it
     * replaced (it was installed beside it), and Karaf's commands select bundles by id.
     */
    private String servedChanges() {
        List<String> changes = new ArrayList<>();
        for (BundlePlanDTO bundle : report.plan.bundles) {
            changes.add(bundle.symbolicName + " " + bundle.fromVersion + " -> " + bundle.toVersion + " (bundle "
                    + bundle.fromBundleId + " -> " + bundle.toBundleId + ")");
        }
        return String.join(", ", changes);
    }
}
