// SocketInbox: the queue between a session's I/O thread and the session.
#include "socketworker.h"

#include <QTest>

#include <atomic>
#include <chrono>
#include <thread>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

std::vector<SocketOutput> textBatch(int first, int count)
{
    std::vector<SocketOutput> batch;
    for (int i = first; i < first + count; ++i) {
        SocketOutput output = SocketOutput::frame(EventKind::Text);
        output.text = QString::number(i);
        batch.push_back(std::move(output));
    }
    return batch;
}

QString textOf(const SocketOutput &output)
{
    return output.text;
}

} // namespace

class TestSocketInbox : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keepsOrderAndWakesOncePerTake();
    void saysFullAtHighWaterAndCallsRoomBelowLowWater();
    void closedInboxCallsNothing();
    void spentPayloadsGoBackToTheProducer();
    void noticesTravelWithFrames();
};

void TestSocketInbox::keepsOrderAndWakesOncePerTake()
{
    SocketInbox inbox;
    int wakes = 0;
    inbox.setWake([&wakes] { ++wakes; });
    SocketInbox::Spent spent;

    auto first = textBatch(0, 3);
    inbox.push(first, spent);
    QVERIFY(first.empty());
    auto second = textBatch(3, 2);
    inbox.push(second, spent);
    QCOMPARE(wakes, 1);  // not taken yet: one wake-up covers both batches

    std::vector<SocketOutput> taken;
    inbox.takeAll(taken);
    QCOMPARE(taken.size(), std::size_t(5));
    for (int i = 0; i < 5; ++i)
        QCOMPARE(textOf(taken[std::size_t(i)]), QString::number(i));

    auto third = textBatch(5, 1);
    inbox.push(third, spent);
    QCOMPARE(wakes, 2);  // after a take, the next batch wakes again
    inbox.takeAll(taken);  // appends behind what is still there
    QCOMPARE(taken.size(), std::size_t(6));
    QCOMPARE(textOf(taken.back()), u"5"_s);

    auto empty = std::vector<SocketOutput>();
    inbox.push(empty, spent);
    QCOMPARE(wakes, 2);  // nothing pushed, nobody woken
}

void TestSocketInbox::saysFullAtHighWaterAndCallsRoomBelowLowWater()
{
    SocketInbox inbox;
    inbox.setWake([] {});
    std::atomic<int> rooms{0};
    inbox.setRoom([&] { ++rooms; });
    constexpr int BatchSize = 4096;
    const int toFill = int(SocketInbox::HighWater / BatchSize);
    SocketInbox::Spent spent;

    // A producer on its own thread, as the worker is: it is told, never made to wait.
    std::vector<bool> answers;
    std::thread producer([&] {
        for (int b = 0; b < toFill; ++b) {
            auto batch = textBatch(b * BatchSize, BatchSize);
            answers.push_back(inbox.push(batch, spent));
        }
    });
    producer.join();
    QCOMPARE(qsizetype(answers.size()), qsizetype(toFill));
    for (int b = 0; b + 1 < toFill; ++b)
        QVERIFY2(answers[std::size_t(b)], qPrintable(u"batch %1 said full"_s.arg(b)));
    QVERIFY(!answers.back());  // HighWater outputs outstanding: read no more

    // Consuming, but not yet below LowWater: no call.
    std::vector<SocketOutput> taken;
    inbox.takeAll(taken);
    QCOMPARE(qsizetype(taken.size()), SocketInbox::HighWater);
    SocketInbox::Spent none;
    inbox.consumed(SocketInbox::HighWater - SocketInbox::LowWater - 1, none);
    QCOMPARE(rooms.load(), 0);
    // Below it: one call, and no second for more consumption.
    inbox.consumed(1, none);
    QCOMPARE(rooms.load(), 1);
    inbox.consumed(SocketInbox::LowWater, none);
    QCOMPARE(rooms.load(), 1);
    for (std::size_t i = 0; i < taken.size(); i += 997)
        QCOMPARE(textOf(taken[i]), QString::number(i));
}

void TestSocketInbox::closedInboxCallsNothing()
{
    SocketInbox inbox;
    std::atomic<int> wakes{0};
    std::atomic<int> rooms{0};
    inbox.setWake([&] { ++wakes; });
    inbox.setRoom([&] { ++rooms; });
    SocketInbox::Spent spent;
    for (int b = 0; b < int(SocketInbox::HighWater / 4096); ++b) {
        auto batch = textBatch(0, 4096);
        inbox.push(batch, spent);
    }
    QCOMPARE(wakes.load(), 1);  // one until the Session takes the queue
    inbox.close();
    auto more = textBatch(0, 10);
    QVERIFY(inbox.push(more, spent));  // nothing to hold back any more
    std::vector<SocketOutput> taken;
    inbox.takeAll(taken);
    QVERIFY(taken.empty());  // a closed inbox keeps nothing
    SocketInbox::Spent none;
    inbox.consumed(SocketInbox::HighWater, none);
    QCOMPARE(rooms.load(), 0);
    QCOMPARE(wakes.load(), 1);
}

void TestSocketInbox::spentPayloadsGoBackToTheProducer()
{
    SocketInbox inbox;
    inbox.setWake([] {});
    SocketInbox::Spent producerSpent;
    auto batch = textBatch(0, 2);
    inbox.push(batch, producerSpent);
    QVERIFY(producerSpent.empty());

    std::vector<SocketOutput> taken;
    inbox.takeAll(taken);
    SocketInbox::Spent consumerSpent;
    consumerSpent.texts.push_back(u"one"_s);
    consumerSpent.data.push_back("two");
    inbox.consumed(2, consumerSpent);
    QVERIFY(consumerSpent.empty());

    auto next = textBatch(2, 1);
    inbox.push(next, producerSpent);
    QCOMPARE(producerSpent.texts, std::vector<QString>{u"one"_s});
    QCOMPARE(producerSpent.data, std::vector<QByteArray>{"two"});
    producerSpent.releaseOne();
    producerSpent.releaseOne();
    QVERIFY(producerSpent.empty());
}

void TestSocketInbox::noticesTravelWithFrames()
{
    SocketInbox inbox;
    inbox.setWake([] {});
    SocketInbox::Spent spent;
    std::vector<SocketOutput> batch = textBatch(0, 1);
    SocketNotice finished;
    finished.type = SocketNotice::Type::Finished;
    finished.closeCode = 4001;
    finished.closeReason = u"bye"_s;
    batch.push_back(SocketOutput::of(std::move(finished)));
    inbox.push(batch, spent);

    std::vector<SocketOutput> taken;
    inbox.takeAll(taken);
    QCOMPARE(taken.size(), std::size_t(2));
    QVERIFY(!taken[0].notice);
    QCOMPARE(taken[0].kind, EventKind::Text);
    QVERIFY(taken[1].notice);
    QVERIFY(taken[1].monotonicNs >= taken[0].monotonicNs);
    const SocketNotice &notice = *taken[1].notice;
    QCOMPARE(notice.type, SocketNotice::Type::Finished);
    QCOMPARE(notice.closeCode, 4001);
    QCOMPARE(notice.closeReason, u"bye"_s);
}

QTEST_GUILESS_MAIN(TestSocketInbox)
#include "tst_socketinbox.moc"
