// SocketInbox: the queue between a session's I/O thread and the session, with real threads.
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
    void producerWaitsWhileTheConsumerIsFarBehind();
    void closeReleasesAWaitingProducer();
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

void TestSocketInbox::producerWaitsWhileTheConsumerIsFarBehind()
{
    SocketInbox inbox;
    inbox.setWake([] {});
    std::atomic<int> pushedBatches{0};
    constexpr int BatchSize = 4096;
    constexpr int Batches = int(SocketInbox::HighWater / BatchSize) + 4;

    std::thread producer([&] {
        SocketInbox::Spent spent;
        for (int b = 0; b < Batches; ++b) {
            auto batch = textBatch(b * BatchSize, BatchSize);
            inbox.push(batch, spent);
            ++pushedBatches;
        }
    });

    // The producer fills up to the high-water mark, then waits for us.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (pushedBatches < SocketInbox::HighWater / BatchSize
           && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    QCOMPARE(pushedBatches.load(), int(SocketInbox::HighWater / BatchSize));

    // Consuming below the low-water mark lets it finish; every output arrives, in order.
    std::vector<SocketOutput> all;
    qsizetype handled = 0;
    while (handled < qsizetype(Batches) * BatchSize && std::chrono::steady_clock::now() < deadline) {
        std::vector<SocketOutput> taken;
        inbox.takeAll(taken);
        SocketInbox::Spent none;
        inbox.consumed(qsizetype(taken.size()), none);
        handled += qsizetype(taken.size());
        for (auto &output : taken)
            all.push_back(std::move(output));
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    producer.join();
    QCOMPARE(pushedBatches.load(), Batches);
    QCOMPARE(qsizetype(all.size()), qsizetype(Batches) * BatchSize);
    for (std::size_t i = 0; i < all.size(); i += 997)
        QCOMPARE(textOf(all[i]), QString::number(i));
}

void TestSocketInbox::closeReleasesAWaitingProducer()
{
    SocketInbox inbox;
    inbox.setWake([] {});
    std::atomic<bool> done{false};
    std::thread producer([&] {
        SocketInbox::Spent spent;
        for (int b = 0; b < 100; ++b) {  // far past the high-water mark
            auto batch = textBatch(0, 4096);
            inbox.push(batch, spent);
        }
        done = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    QVERIFY(!done);  // waiting for room
    const auto closedAt = std::chrono::steady_clock::now();
    inbox.close();
    producer.join();
    const auto waited = std::chrono::steady_clock::now() - closedAt;
    QVERIFY(done);
    QVERIFY(inbox.isClosed());
    QVERIFY2(waited < std::chrono::seconds(2), "close() must release the producer at once");

    std::vector<SocketOutput> taken;
    inbox.takeAll(taken);
    QVERIFY(taken.empty());  // a closed inbox keeps nothing
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
