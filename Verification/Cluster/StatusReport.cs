using Verify.Verification.Experiments;
using Verify.Verification.Sweeps;

namespace Verify.Verification.Cluster;

/// <summary>What `verify status` was asked: the experiment as loaded and planned, --results as given (null for the default) and the --set overrides.</summary>
internal sealed record StatusRequest(string ConfigPath, ExperimentConfig Experiment, IReadOnlyList<PlannedRun> Plan, string? Results, IReadOnlyList<string> Sets);

/// <summary>
/// `verify status`: how many of an experiment's runs are in its results folder (local or Slurm runs alike) and,
/// when `verify submit` recorded a job there, each array task's runs, state and, for a failed task, its log.
/// </summary>
internal static class StatusReport
{
    public static void Write(StatusRequest r, SlurmTools tools, TextWriter output, TextWriter error)
    {
        var store = ResultStore.For(r.Results, r.Experiment.Name);
        if (File.Exists(store.Directory)) throw InvalidInputException.MustBe("--results", $"'{store.Directory}'", "a folder, not a file");
        IReadOnlyList<JobRecord> jobs;
        // Status only reads: an unreadable job record costs the per-task table, not the count of finished runs.
        try { jobs = JobFile.Read(JobFile.PathIn(store.Directory)); }
        catch (InvalidInputException ex)
        {
            error.WriteLine("warning: " + ex.Message);
            jobs = [];
        }
        ClusterStatus.Build(r.Experiment, r.Plan, store, r.Sets, jobs, tools).Write(output, r.ConfigPath);
    }
}
