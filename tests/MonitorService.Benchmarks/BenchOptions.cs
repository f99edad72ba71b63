using System.Globalization;

namespace MonitorService.Benchmarks;

/// <summary>Command-line options; every one has a default that fits a 2-core machine in about 10 minutes.</summary>
public sealed class BenchOptions
{
    public HashSet<string> Sections { get; private set; } = ["engine", "flood", "storage", "scheduler", "dashboard", "senders", "bulk", "tlsrpt"];
    public int[] Concurrency { get; private set; } = [1, 16, 64, 256];
    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(10);
    public TimeSpan Warmup { get; private set; } = TimeSpan.FromSeconds(2);
    public int SyntheticDomains { get; private set; } = 2000;
    /// <summary>Registered domains for the scheduler start-up measurement.</summary>
    public int ScaleDomains { get; private set; } = 100_000;
    /// <summary>Domains checked twice through the recording pipeline for the write cost per unchanged check.</summary>
    public int StorageDomains { get; private set; } = 500;
    public int DashboardDomains { get; private set; } = 10_000;
    public int HistoryDays { get; private set; } = 365;
    public int DashboardRequests { get; private set; } = 200;
    /// <summary>Days of reports (two organisations a day) for each of the other domains in the senders section.</summary>
    public int SendersOtherDays { get; private set; } = 30;
    /// <summary>Target check rates (per hour) for the dispatch-lag steps.</summary>
    public int[] RatesPerHour { get; private set; } = [100_000, 200_000, 400_000];
    public TimeSpan RateStep { get; private set; } = TimeSpan.FromSeconds(60);
    /// <summary>Scheduling:ReconcileBatchSize for the scheduler section's node; null keeps the service's default.</summary>
    public int? ReconcileBatchSize { get; private set; }
    /// <summary>How many times the scheduler section runs (each on a fresh database); rows show median [min–max].</summary>
    public int Runs { get; private set; } = 3;
    /// <summary>New domains registered at once while the scheduler node runs.</summary>
    public int BulkDomains { get; private set; } = 5000;
    /// <summary>Domains in the bulk section's list (issue 15: 200), checked at <see cref="BulkConcurrency"/>.</summary>
    public int BulkCheckDomains { get; private set; } = 200;
    public int BulkConcurrency { get; private set; } = 16;
    /// <summary>Passes over the list per subject in the bulk section, after one warm-up pass.</summary>
    public int BulkRounds { get; private set; } = 5;
    /// <summary>Only these subjects of the bulk section (bare, no-smtp, mailauth, bare-starttls, probes); null: all.</summary>
    public HashSet<string>? BulkSubjects { get; private set; }
    public string? Output { get; private set; }

    public const string Usage = """
        MonitorService.Benchmarks [options]
          --sections engine,flood,storage,scheduler,dashboard,senders,bulk,tlsrpt   which measurements to run (default: all)
          --concurrency 1,16,64,256    engine concurrency levels
          --duration 10 --warmup 2     seconds per engine measurement
          --synthetic-domains 2000     domains published on the loopback DNS for the engine
          --scale-domains 100000       registered domains for scheduler start-up and memory
          --storage-domains 500        domains checked twice for the write cost of an unchanged check
          --rates 100000,200000,400000 checks per hour offered to one node in the dispatch-lag steps
          --rate-step 60               seconds per rate step
          --reconcile-batch-size 500   domains the scheduler node's reconciler stores per transaction (default: the service's)
          --runs 3                     scheduler section repetitions (fresh database each; rows show median [min–max])
          --bulk-domains 5000          new domains registered at once while the scheduler node runs
          --dashboard-domains 10000 --history-days 365 --dashboard-requests 200
          --senders-other-days 30      senders section: days of reports for each other domain (the measured one has 365 × 20 organisations)
          --bulk-check-domains 200 --bulk-concurrency 16 --bulk-rounds 5
                                       bulk section: list size, checks at once, timed passes per subject
          --bulk-subjects bare,no-smtp,mailauth,bare-starttls,probes   bulk subjects to run (default: all; one, to profile it)
          --output FILE                also write the markdown table to FILE
        """;

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            int[] Ints() => Next().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            switch (args[i])
            {
                case "--sections": o.Sections = [.. Next().Split(',')]; break;
                case "--concurrency": o.Concurrency = Ints(); break;
                case "--duration": o.Duration = TimeSpan.FromSeconds(Int()); break;
                case "--warmup": o.Warmup = TimeSpan.FromSeconds(Int()); break;
                case "--synthetic-domains": o.SyntheticDomains = Int(); break;
                case "--scale-domains": o.ScaleDomains = Int(); break;
                case "--storage-domains": o.StorageDomains = Int(); break;
                case "--rates": o.RatesPerHour = Ints(); break;
                case "--rate-step": o.RateStep = TimeSpan.FromSeconds(Int()); break;
                case "--reconcile-batch-size": o.ReconcileBatchSize = Int(); break;
                case "--runs": o.Runs = Math.Max(1, Int()); break;
                case "--bulk-domains": o.BulkDomains = Int(); break;
                case "--dashboard-domains": o.DashboardDomains = Int(); break;
                case "--history-days": o.HistoryDays = Int(); break;
                case "--dashboard-requests": o.DashboardRequests = Int(); break;
                case "--senders-other-days": o.SendersOtherDays = Int(); break;
                case "--bulk-check-domains": o.BulkCheckDomains = Int(); break;
                case "--bulk-concurrency": o.BulkConcurrency = Int(); break;
                case "--bulk-rounds": o.BulkRounds = Math.Max(1, Int()); break;
                case "--bulk-subjects": o.BulkSubjects = [.. Next().Split(',')]; break;
                case "--output": o.Output = Next(); break;
                default: throw new ArgumentException($"Unknown option {args[i]}\n{Usage}");
            }
        }
        return o;
    }
}
