package dev.autocert4j.internal;

import dev.autocert4j.ChallengeResponder;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.spi.PendingChallenge;

import java.util.Map;
import java.util.Objects;

/**
 * A 0.1 {@link ChallengeResponder} seen as a {@link ChallengeSolver}: presenting publishes the
 * token for the identifier, cleaning up withdraws it.
 */
@SuppressWarnings("deprecation") // adapts the deprecated SPI to the new one
public final class ResponderSolver implements ChallengeSolver {

    private final ChallengeType type;
    private final ChallengeResponder responder;

    private ResponderSolver(ChallengeType type, ChallengeResponder responder) {
        this.type = type;
        this.responder = responder;
    }

    /**
     * @param type      the challenge type the responder answers
     * @param responder the responder
     * @return the responder itself where it is a solver of that type already, else an adapter
     */
    public static ChallengeSolver of(ChallengeType type, ChallengeResponder responder) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(responder, "responder");
        if (responder instanceof ChallengeSolver solver && solver.type() == type) {
            return solver;
        }
        return new ResponderSolver(type, responder);
    }

    @Override
    public ChallengeType type() {
        return type;
    }

    @Override
    public void present(PendingChallenge challenge) {
        responder.publish(challenge.identifier(), challenge.token(), challenge.keyAuthorization());
    }

    @Override
    public void cleanUp(PendingChallenge challenge) {
        responder.withdraw(challenge.token());
    }

    /**
     * Adds a solver for its challenge type, refusing a second one for the same type.
     *
     * @param solvers the solvers so far, by type
     * @param solver  the one to add
     * @throws IllegalStateException if the type has a solver already, naming both classes
     */
    public static void addOnePerType(Map<ChallengeType, ChallengeSolver> solvers, ChallengeSolver solver) {
        ChallengeType type = Objects.requireNonNull(solver.type(), "solver.type()");
        ChallengeSolver before = solvers.get(type);
        if (before != null) {
            throw new IllegalStateException("Two challenge solvers for " + type.acmeName() + ": "
                    + className(before) + " and " + className(solver) + "; give one solver per challenge type");
        }
        solvers.put(type, solver);
    }

    /**
     * @param solver a solver, possibly an adapter
     * @return the name of the class the host gave: the responder's for an adapter
     */
    public static String className(ChallengeSolver solver) {
        return solver instanceof ResponderSolver adapter ? adapter.responder.getClass().getName()
                : solver.getClass().getName();
    }

    @Override
    public String toString() {
        return responder.getClass().getName() + " (a ChallengeResponder, for " + type.acmeName() + ")";
    }
}
