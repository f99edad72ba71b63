using Microsoft.AspNetCore.Mvc;
using MonitorService.Accounts;
using MonitorService.Domains;
using MonitorService.Storage.Entities;

namespace MonitorService.Web.Pages.Domains;

/// <summary>Registers one or many pasted domains; each line succeeds or fails on its own, with the reason.</summary>
public sealed class AddModel(TeamAccess access, UserDirectory directory, DomainRegistry registry) : DashboardPage(access)
{
    public const int MaxLines = 500;

    public static readonly (int Seconds, string Label)[] Intervals =
        [(900, "15 minutes"), (3600, "hour"), (6 * 3600, "6 hours"), (86400, "day")];

    [BindProperty] public Guid? TeamId { get; set; }
    [BindProperty] public string Names { get; set; } = "";
    [BindProperty] public int Interval { get; set; } = 3600;
    [BindProperty] public string? Recipients { get; set; }

    public IReadOnlyList<Team> Teams { get; private set; } = [];
    public List<LineResult> Results { get; } = [];

    public sealed record LineResult(int Line, string Input, string? Name, Guid? DomainId, string? Error);

    public async Task OnGetAsync() => Teams = await directory.TeamsAsync(await ScopeAsync(), HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostAsync()
    {
        var scope = await ScopeAsync();
        Teams = await directory.TeamsAsync(scope, HttpContext.RequestAborted);
        var team = Teams.FirstOrDefault(t => t.Id == TeamId);
        if (team is null)
            return NotFound();
        // The body was capped before it was read (Web:MaxRequestBodyBytes); the line cap is checked by counting
        // before anything is split, trimmed or looked up.
        if (CountLines(Names ?? "", stopAfter: MaxLines) > MaxLines)
        {
            Results.Add(new LineResult(MaxLines + 1, "…", null, null, $"At most {MaxLines} domains at once; nothing was added."));
            return Page();
        }
        var recipients = Recipients?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
        var lines = (Names ?? "").Split('\n').Select((text, index) => (Text: text.Trim(), Line: index + 1)).Where(l => l.Text.Length > 0).ToList();
        var failed = new List<string>();
        foreach (var (text, line) in lines)
        {
            try
            {
                var domain = await registry.AddAsync(text, team.Name, TimeSpan.FromSeconds(Interval), recipients, HttpContext.RequestAborted);
                Results.Add(new LineResult(line, text, domain.Name, domain.Id, null));
            }
            catch (DomainRequestException e)
            {
                Results.Add(new LineResult(line, text, null, null, e.Message));
                failed.Add(text);
            }
        }
        // Leave only the refused lines in the box, ready to correct.
        Names = string.Join('\n', failed);
        return Page();
    }

    /// <summary>Non-blank lines, counted without allocating; stops once past <paramref name="stopAfter"/>.</summary>
    public static int CountLines(ReadOnlySpan<char> text, int stopAfter)
    {
        var count = 0;
        while (!text.IsEmpty && count <= stopAfter)
        {
            var end = text.IndexOf('\n');
            var line = end < 0 ? text : text[..end];
            if (!line.IsWhiteSpace())
                count++;
            text = end < 0 ? [] : text[(end + 1)..];
        }
        return count;
    }
}
