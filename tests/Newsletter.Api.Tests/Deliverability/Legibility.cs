using System.Text.Json;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Deliverability;

/// <summary>
/// How legible a page is as the browser drew it: for every visible element with text of its own,
/// the WCAG contrast ratio of its computed text colour against the background it is painted on
/// (the nearest backgrounds behind it, down to the canvas of the page's colour scheme).
/// </summary>
public sealed record Legibility(int Checked, IReadOnlyList<string> Tags, IReadOnlyList<JsonElement> Failures, double TitleBackgroundLuminance,
    int ScrollWidth, int InnerWidth)
{
    public static async Task<Legibility> MeasureAsync(HeadlessChromium browser)
    {
        var result = await browser.EvaluateAsync(Script);
        return new Legibility(
            result.GetProperty("checked").GetInt32(),
            result.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToList(),
            result.GetProperty("failures").EnumerateArray().Select(f => f.Clone()).ToList(),
            result.GetProperty("titleBackground").GetDouble(),
            result.GetProperty("scrollWidth").GetInt32(),
            result.GetProperty("innerWidth").GetInt32());
    }

    // WCAG 2: 4.5 for text, 3 for large text (24px, or 18.66px bold).
    private const string Script = """
        (() => {
          const parse = c => { const m = /rgba?\(([^)]+)\)/.exec(c); if (!m) throw new Error('unreadable colour ' + c);
            const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
          const over = (top, under) => ({ r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a), b: top.b * top.a + under.b * (1 - top.a), a: 1 });
          const probe = document.createElement('div');
          probe.style.backgroundColor = 'Canvas';
          document.body.appendChild(probe);
          const canvas = parse(getComputedStyle(probe).backgroundColor);
          probe.remove();
          const background = el => {
            const layers = [];
            for (let e = el; e; e = e.parentElement) {
              const c = parse(getComputedStyle(e).backgroundColor);
              if (c.a > 0) { layers.push(c); if (c.a >= 1) break; }
            }
            return layers.reduceRight((under, top) => over(top, under), canvas);
          };
          const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
            return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
          const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
          const rgb = c => `rgb(${Math.round(c.r)}, ${Math.round(c.g)}, ${Math.round(c.b)})`;
          const checked = [], failures = [];
          for (const el of document.body.querySelectorAll('*')) {
            const own = [...el.childNodes].filter(n => n.nodeType === Node.TEXT_NODE).map(n => n.textContent).join('').trim();
            if (!own || el.getClientRects().length === 0) continue;
            const style = getComputedStyle(el);
            if (style.visibility !== 'visible') continue;
            const bg = background(el), fg = over(parse(style.color), bg);
            const size = parseFloat(style.fontSize), large = size >= 24 || (size >= 18.66 && parseInt(style.fontWeight) >= 700);
            const r = ratio(fg, bg);
            const item = { tag: el.tagName.toLowerCase(), text: own.slice(0, 50), color: rgb(fg), background: rgb(bg), ratio: Math.round(r * 100) / 100 };
            checked.push(item);
            if (r < (large ? 3 : 4.5)) failures.push(item);
          }
          return { checked: checked.length, tags: [...new Set(checked.map(c => c.tag))], failures,
            titleBackground: lum(background(document.querySelector('h1'))),
            scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth };
        })()
        """;
}
