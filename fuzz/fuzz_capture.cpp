// A capture given as bytes, read both ways an import reads one: as a DevTools HAR (HarReader) and
// as an exported JSON Lines log (JsonlReader), then turned into a scenario (CaptureImport, exact
// and loose).
//
// Checks beyond "no crash": a rejected capture says why; an accepted one becomes a scenario that
// ScenarioWriter writes and ScenarioLoader reads back, written the same way again (an import is
// a file the user can save and run).

#include "captureimport.h"
#include "fuzzsupport.h"
#include "harreader.h"
#include "jsonlreader.h"
#include "scenarioloader.h"
#include "scenariowriter.h"

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

void checkImport(const QList<CapturedConnection> &connections, const QString &input)
{
    for (const bool loose : {false, true}) {
        ImportOptions options;
        options.looseJson = loose;
        const ImportResult imported = CaptureImport::toScenario(connections, options);
        const QString written = ScenarioWriter::toText(imported.scenario);
        const ScenarioLoader::Result loaded =
            ScenarioLoader::loadText(written, u"imported.json"_s, u"/nonexistent-wsprobe-fuzz"_s);
        WSPROBE_FUZZ_CHECK(loaded.scenario.has_value(),
                           loaded.errorText() + u"\n--- written:\n"_s + written + u"\n--- input:\n"_s + input);
        const QString rewritten = ScenarioWriter::toText(*loaded.scenario);
        WSPROBE_FUZZ_CHECK(rewritten == written, u"--- written:\n"_s + written + u"\n--- rewritten:\n"_s + rewritten);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArrayView bytes = fuzz::bytes(data, size);
    if (!QUtf8StringView(bytes).isValidUtf8())
        return 0;  // both readers take text; the located JSON target covers bad UTF-8
    const QString text = QString::fromUtf8(bytes);

    QList<CapturedConnection> connections;
    JsonError error;
    if (HarReader::parse(text, u"fuzz.har"_s, &connections, &error))
        checkImport(connections, text);
    else
        WSPROBE_FUZZ_CHECK(!error.message.isEmpty(), text);

    CapturedConnection connection;
    error = {};
    if (JsonlReader::parse(text, u"fuzz.jsonl"_s, &connection, &error))
        checkImport({connection}, text);
    else
        WSPROBE_FUZZ_CHECK(!error.message.isEmpty(), text);
    return 0;
}
